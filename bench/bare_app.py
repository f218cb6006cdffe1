"""A bare Flask app rendering a template of a given size: the dashboard's yardstick."""
import os

from flask import Flask, render_template_string

app = Flask(__name__)
SIZE = int(os.environ.get("BARE_PAGE_BYTES", "8000"))
TEMPLATE = """<!doctype html><html><head><title>{{ title }}</title></head><body><main>
{% for row in rows %}<p class="row">{{ row }}</p>
{% endfor %}</main></body></html>"""
ROWS = ["示例内容 example content %04d" % i for i in range(max(1, SIZE // 48))]


@app.get("/")
def page():
    return render_template_string(TEMPLATE, title="bare", rows=ROWS)
