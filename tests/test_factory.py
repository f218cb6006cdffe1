"""The app factory: configuration, extensions and start-up."""
from intranet import create_app
from tests.conftest import make_config


def test_config_comes_from_the_factory_argument(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"


def test_apps_with_different_plugin_sets_live_side_by_side(database_url):
    with_example = create_app(make_config(database_url))
    without = create_app(make_config(database_url, PLUGINS_EXTRA=()))
    assert "example" in with_example.extensions["intranet"].registry.modules
    assert "example" not in without.extensions["intranet"].registry.modules
    assert "example.items" in with_example.view_functions
    assert "example.items" not in without.view_functions


def test_health_check_is_public(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_session_cookie_is_http_only_and_same_site(client, company, auth):
    response = auth.login("zhangwei")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("intranet_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_only_a_database_server_has_its_connections_tested_before_use(database_url):
    # A server may drop idle connections; a SQLite file cannot, and a ping would be one
    # more statement on every request.
    app = create_app(make_config(database_url))
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping", False) == (
        not database_url.startswith("sqlite"))
