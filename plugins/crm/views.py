"""CRM pages: customers, the shared pool, terms, contacts, quotations, customer requests, segments."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from intranet import DomainError, ask, db, utcnow
from intranet import gettext as _
from intranet import lazy_gettext as _l
from intranet.charts import BarChart, DonutChart, Series, Slice
from intranet.documents import current_documents, document_page, editable_by_me, visible_document
from intranet.org import User
from intranet.web import (NEWEST, Field, Filter, ListView, Sort, arg_id, calendar, edit_lines, employee,
                          form_error, form_status, options, org_chart, permission_required, render, settings,
                          signed_in_user, total, writes)

from . import services
from .documents import CUSTOMER, CUSTOMER_STATUSES, QUOTATION, QUOTATION_STATUSES, REQUEST, REQUEST_STATUSES, TERMS
from .forms import (AnswerForm, CallbackForm, ContactLogForm, CustomerForm, NewCustomerForm, QuotationForm,
                    ReassignForm, RequestForm, TermsForm)
from .models import ContactLog, Customer, CustomerRequest, CustomerTerms, SalesQuotation
from .scopes import CONTACT_SCOPE, MANAGE, USE
from .settings import REQUEST_KIND_LABELS, REQUEST_KINDS, TAG_LABELS, TIER_LABELS

bp = Blueprint("crm", __name__, template_folder="templates")

CUSTOMERS = ListView(
    "crm.customers", CUSTOMER,
    (Field("number"), Field("name"), Field("industry"), Field("owner", format="person"),
     Field("status", format="status"), Field("abc_class"), Field("rfm_tier", format="choice", choices=TIER_LABELS),
     Field("last_contact_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=CUSTOMER_STATUSES.choices),
             Filter("abc_class", _l("ABC class"), choices=(("A", "A"), ("B", "B"), ("C", "C"))),
             Filter("rfm_tier", _l("RFM tier"), choices=lambda: list(TIER_LABELS.items())),
             Filter("mine", _l("Only mine"), column="owner_id", kind="mine"),
             Filter("pool", _l("Shared pool"), clause=lambda value, user: Customer.owner_id.is_(None),
                    choices=(("1", _l("Only the shared pool")),)),
             Filter("tag", _l("Tag"), clause=lambda value, user: Customer.tags.contains(value),
                    choices=lambda: [(t, TAG_LABELS.get(t, t)) for t in settings()["crm.tags"]])),
    sorts=(NEWEST, Sort("last_contact", _l("Last contact"), "last_contact_at")), search=("name", "number"),
    export="crm.export")

QUOTATIONS = ListView(
    "crm.quotations", QUOTATION,
    (Field("number"), Field("customer.name", _l("Customer")), Field("title"), Field("total", format="money"),
     Field("requester", _l("Salesperson"), format="person"), Field("status", format="status"),
     Field("created_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=QUOTATION_STATUSES.choices),
             Filter("mine", _l("Only mine"), column="requester_id", kind="mine")),
    sorts=(NEWEST, Sort("total", _l("Amount"), "total")), search=("title", "number"), selectable=True,
    export="crm.export_quotations", options=(selectinload(SalesQuotation.customer),))

REQUESTS = ListView(
    "crm.requests", REQUEST,
    (Field("number"), Field("customer.name", _l("Customer")), Field("kind", format="choice",
                                                                    choices=REQUEST_KIND_LABELS),
     Field("responsible_department_id", format="department"), Field("due_at", format="datetime"),
     Field("status", format="status"), Field("score"), Field("created_at", _l("Received"), format="datetime")),
    filters=(Filter("status", _l("Status"), choices=REQUEST_STATUSES.choices),
             Filter("kind", _l("Type"), choices=lambda: list(REQUEST_KIND_LABELS.items())),
             Filter("overdue", _l("Overdue"), clause=lambda value, user: (CustomerRequest.status == "open")
                    & (CustomerRequest.due_at < utcnow()), choices=(("1", _l("Only overdue")),)),
             Filter("mine", _l("Registered by me"), column="requester_id", kind="mine")),
    search=("number", "description"), selectable=True, export="crm.export_requests",
    options=(selectinload(CustomerRequest.customer),))

CLEANUP = ListView(
    "crm.cleanup", CUSTOMER,
    (Field("number"), Field("name"), Field("owner", format="person"), Field("status", format="status"),
     Field("last_contact_at", format="datetime"), Field("created_at", format="date")),
    filters=(Filter("stale", _l("Stale"), clause=lambda value, user: services.stale_clause(utcnow(), settings()),
                    choices=(("1", _l("Only stale records")),)),),
    sorts=(Sort("last_contact", _l("Last contact"), "last_contact_at"), NEWEST), search=("name", "number"),
    export="crm.export_cleanup")


def _fail(form, error: DomainError):
    """A service's refusal: beside its field (422), or the error page (403, 409)."""
    db.session.rollback()
    if error.status != 422:
        raise error
    form_error(form, error)


def _customer(customer_id: int) -> Customer:
    return visible_document(CUSTOMER, customer_id)


def _may_see_contacts(customer: Customer) -> bool:
    return CONTACT_SCOPE.allows(current_user, org_chart(), customer)


# -- customers -------------------------------------------------------------------------
@bp.get("/")
@employee
def customers():
    return CUSTOMERS.render("crm/customers.html")


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt: str):
    return CUSTOMERS.export(fmt)


def _customer_choices(form, new: bool) -> None:
    config = settings()
    form.industry.choices = options((i, i) for i in config["crm.industries"])
    form.tags.choices = [(t, TAG_LABELS.get(t, t)) for t in config["crm.tags"]]
    if new:
        form.payment_terms.choices = options((t, t) for t in config["crm.payment_terms"])


def _customer_data(form) -> services.CustomerData:
    contacts = [services.ContactData(name=row["name"] or "", role=row["role"], phone=row["phone"],
                                     email=row["email"] or "", wechat=row["wechat"])
                for row in form.contacts.data if any((row["name"], row["phone"], row["email"], row["wechat"]))]
    return services.CustomerData(
        name=form.name.data, industry=form.industry.data or "", tax_number=form.tax_number.data or "",
        phone=form.phone.data or "", address=form.address.data or "", channels=form.channels.data or "",
        products=form.products.data or "", relationship_since=form.relationship_since.data,
        tags=tuple(form.tags.data or ()), contacts=contacts)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(USE)
def new_customer():
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    form = NewCustomerForm(formdata=formdata)
    _customer_choices(form, new=True)
    if request.method == "GET":
        form.discount.data = Decimal(0)
    if not line_button and form.validate_on_submit():
        try:
            customer = services.create_customer(
                current_documents(), _customer_data(form), signed_in_user(), discount=form.discount.data,
                payment_terms=form.payment_terms.data, confirm_duplicate=form.confirm_duplicate.data)
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            flash(_("Customer added; its terms are waiting for approval."), "success")
            return redirect(url_for("crm.customer", document_id=customer.id))
    status = 422 if request.method == "POST" and not line_button else 200
    return render("crm/customer_form.html", form=form, customer=None, status=status)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit_customer(document_id: int):
    customer = _customer(document_id)
    if not _may_see_contacts(customer):
        abort(403)
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    form = CustomerForm(formdata=formdata, obj=customer)
    _customer_choices(form, new=False)
    if request.method == "GET":
        form.tags.data = customer.tag_list
    if not line_button and form.validate_on_submit():
        try:
            services.update_customer(current_documents(), customer, _customer_data(form), current_user, org_chart())
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            return redirect(url_for("crm.customer", document_id=customer.id))
    status = 422 if request.method == "POST" and not line_button else 200
    return render("crm/customer_form.html", form=form, customer=customer, status=status)


def _customer_page(customer: Customer, *, contact_form=None, terms_form=None, status: int = 200):
    config = settings()
    contact_form = contact_form or ContactLogForm(formdata=None)
    contact_form.channel.choices = options((c, c) for c in config["crm.contact_channels"])
    terms_form = terms_form or TermsForm(formdata=None, data={"discount": customer.discount,
                                                               "payment_terms": customer.payment_terms})
    terms_form.payment_terms.choices = options((t, t) for t in config["crm.payment_terms"])
    reassign = None
    if current_user.can(MANAGE):
        reassign = ReassignForm(formdata=None, data={"owner_id": customer.owner_id})
        people = db.session.execute(select(User.id, User.name).where(User.active).order_by(User.name)).all()
        reassign.owner_id.choices = options(people)
    log = db.session.scalars(select(ContactLog).where(ContactLog.customer_id == customer.id)
                             .options(selectinload(ContactLog.person))
                             .order_by(ContactLog.at.desc(), ContactLog.id.desc()).limit(30)).all()
    versions = db.session.scalars(select(CustomerTerms).where(CustomerTerms.customer_id == customer.id)
                                  .order_by(CustomerTerms.version.desc()).limit(20)).all()
    quotations = db.session.scalars(select(SalesQuotation).where(SalesQuotation.customer_id == customer.id)
                                    .order_by(SalesQuotation.created_at.desc(), SalesQuotation.id.desc()).limit(10)).all()
    requests = db.session.scalars(select(CustomerRequest).where(CustomerRequest.customer_id == customer.id)
                                  .order_by(CustomerRequest.created_at.desc(), CustomerRequest.id.desc())
                                  .limit(10)).all()
    page = document_page(CUSTOMER, customer)
    return render("crm/customer.html", **page, contacts_visible=_may_see_contacts(customer), log=log,
                  versions=versions, quotations=quotations, requests=requests, contact_form=contact_form,
                  terms_form=terms_form, reassign=reassign, tag_labels=TAG_LABELS, tier_labels=TIER_LABELS,
                  kind_labels=REQUEST_KIND_LABELS, terms_statuses=TERMS.statuses,
                  quotation_statuses=QUOTATION_STATUSES, request_statuses=REQUEST_STATUSES,
                  pool_deadline=services.pool_deadline(customer, config["crm.pool_days"]) if customer.owner_id
                  else None, status=status)


@bp.get("/<int:document_id>")
@employee
def customer(document_id: int):
    return _customer_page(_customer(document_id))


@bp.post("/<int:document_id>/contacts")
@employee
def log_contact(document_id: int):
    """Log a contact on the customer's timeline."""
    customer = _customer(document_id)
    form = ContactLogForm()
    form.channel.choices = options((c, c) for c in settings()["crm.contact_channels"])
    if form.validate_on_submit():
        try:
            services.log_contact(db.session, customer, channel=form.channel.data, person_id=current_user.id,
                                 result=form.result.data, at=utcnow(), channels=settings()["crm.contact_channels"])
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            return redirect(url_for("crm.customer", document_id=customer.id))
    return _customer_page(customer, contact_form=form, status=422)


@bp.post("/<int:document_id>/terms")
@employee
def request_terms(document_id: int):
    """Ask for a new discount or payment terms: approved before orders use them."""
    customer = _customer(document_id)
    form = TermsForm()
    form.payment_terms.choices = options((t, t) for t in settings()["crm.payment_terms"])
    if form.validate_on_submit():
        try:
            terms = services.request_terms(current_documents(), customer, form.discount.data,
                                           form.payment_terms.data, form.reason.data, signed_in_user())
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            flash(_("The new terms are waiting for approval."), "success")
            return redirect(url_for("crm.terms", document_id=terms.id))
    return _customer_page(customer, terms_form=form, status=422)


@bp.post("/<int:document_id>/claim")
@permission_required(USE)
def claim(document_id: int):
    """Take a customer from the shared pool 公海."""
    customer = _customer(document_id)
    services.claim(current_documents(), customer, signed_in_user())
    db.session.commit()
    flash(_("The customer is yours now."), "success")
    return redirect(url_for("crm.customer", document_id=customer.id))


@bp.post("/<int:document_id>/reassign")
@permission_required(MANAGE)
def reassign(document_id: int):
    customer = _customer(document_id)
    form = ReassignForm()
    people = db.session.execute(select(User.id, User.name).where(User.active).order_by(User.name)).all()
    form.owner_id.choices = options(people)
    if not form.validate_on_submit():
        return _customer_page(customer, status=422)
    owner = db.session.get(User, form.owner_id.data) if form.owner_id.data else None
    services.reassign(current_documents(), customer, owner)
    db.session.commit()
    return redirect(url_for("crm.customer", document_id=customer.id))


@bp.get("/terms/<int:document_id>")
@employee
def terms(document_id: int):
    document = visible_document(TERMS, document_id)
    return render("crm/terms.html", **document_page(TERMS, document))


# -- quotations 报价单 ----------------------------------------------------------------
@bp.get("/quotations/")
@employee
def quotations():
    return QUOTATIONS.render("crm/quotations.html")


@bp.get("/quotations/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_quotations(fmt: str):
    return QUOTATIONS.export(fmt)


def _quotation_form(quotation: SalesQuotation | None):
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    form = QuotationForm(formdata=formdata, obj=quotation)
    if request.method == "GET" and quotation is None:
        form.customer_id.data = arg_id("customer")
    customer_id = form.customer_id.data if isinstance(form.customer_id.data, int) else None
    customer = _customer(customer_id) if customer_id else None
    if customer is None:
        abort(404)
    if not line_button and form.validate_on_submit():
        lines = [services.QuotationLineData(product=row["product"], specification=row["specification"],
                                            quantity=row["quantity"], unit=row["unit"], unit_price=row["unit_price"])
                 for row in form.lines.data]
        try:
            quotation = services.save_quotation(
                current_documents(), quotation, customer=customer, title=form.title.data,
                valid_until=form.valid_until.data, remarks=form.remarks.data, lines=lines,
                requester=signed_in_user())
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            return redirect(url_for("crm.quotation", document_id=quotation.id))
    amounts = [total([row], "quantity", "unit_price") for row in form.lines.data]
    status = 422 if request.method == "POST" and not line_button else 200
    return render("crm/quotation_form.html", form=form, quotation=quotation, customer=customer, amounts=amounts,
                  total=total(form.lines.data, "quantity", "unit_price"), status=status)


@bp.route("/quotations/new", methods=["GET", "POST"])
@permission_required(USE)
def new_quotation():
    return _quotation_form(None)


@bp.route("/quotations/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit_quotation(document_id: int):
    quotation = visible_document(QUOTATION, document_id)
    if not editable_by_me(QUOTATION, quotation):
        return redirect(url_for("crm.quotation", document_id=quotation.id))
    return _quotation_form(quotation)


@bp.get("/quotations/<int:document_id>")
@employee
def quotation(document_id: int):
    document = visible_document(QUOTATION, document_id)
    return render("crm/quotation.html", **document_page(QUOTATION, document))


@bp.post("/quotations/<int:document_id>/<any(send, accept, decline):action>")
@employee
def quotation_action(document_id: int, action: str):
    """Send the quotation, or record the customer's answer; accepted, it becomes a sales order."""
    quotation = visible_document(QUOTATION, document_id)
    documents = current_documents()
    if action == "send":
        services.send_quotation(documents, quotation, current_user.id)
    elif action == "decline":
        services.decline_quotation(documents, quotation, current_user.id)
    else:
        services.accept_quotation(documents, quotation, current_user.id)
        answer = ask("sales_order_from_quotation", quotation_id=quotation.id, actor_id=current_user.id)
        if answer.available and answer.value:
            quotation.order_ref = answer.value["number"]
            db.session.commit()
            flash(_("Accepted: sales order %(number)s is made from it.", number=answer.value["number"]), "success")
            return redirect(answer.value["url"])
        flash(_("Accepted. No sales order was made: the customer's terms are not approved, a product is not "
                "on the product list, or the sales module is off.") if answer.available
              else _("Accepted. The sales module is off: no sales order was made."), "warning")
    db.session.commit()
    return redirect(url_for("crm.quotation", document_id=quotation.id))


# -- customer requests 客户需求登记表 ------------------------------------------------
@bp.get("/requests/")
@employee
def requests():
    return REQUESTS.render("crm/requests.html")


@bp.get("/requests/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_requests(fmt: str):
    return REQUESTS.export(fmt)


@bp.route("/requests/new", methods=["GET", "POST"])
@permission_required(USE)
def new_request():
    form = RequestForm()
    if request.method == "GET":
        form.customer_id.data = arg_id("customer")
    customer_id = form.customer_id.data if isinstance(form.customer_id.data, int) else None
    customer = _customer(customer_id) if customer_id else abort(404)
    form.kind.choices = options(REQUEST_KIND_LABELS.items())
    form.responsible_department_id.choices = options((node.id, "\u3000" * depth + node.name)
                                                     for depth, node in org_chart().tree())
    if form.validate_on_submit():
        try:
            document = services.register_request(
                current_documents(), customer=customer, kind=form.kind.data, description=form.description.data,
                responsible_department_id=form.responsible_department_id.data, requester=signed_in_user(),
                kinds=REQUEST_KINDS)
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            return redirect(url_for("crm.request", document_id=document.id))
    return render("crm/request_form.html", form=form, customer=customer, status=form_status(form))


def _request_page(document, *, answer=None, callback=None, status=200):
    return render("crm/request.html", **document_page(REQUEST, document), answer=answer or AnswerForm(formdata=None),
                  callback=callback or CallbackForm(formdata=None), kind_labels=REQUEST_KIND_LABELS,
                  overdue=services.overdue(document, utcnow()),
                  responsible=org_chart().get(document.responsible_department_id), status=status)


@bp.get("/requests/<int:document_id>", endpoint="request")
@employee
def request_page(document_id: int):
    return _request_page(visible_document(REQUEST, document_id))


@bp.post("/requests/<int:document_id>/answer")
@employee
def answer_request(document_id: int):
    document = visible_document(REQUEST, document_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            services.answer_request(current_documents(), document, form.response.data, current_user.id, calendar())
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            return redirect(url_for("crm.request", document_id=document.id))
    return _request_page(visible_document(REQUEST, document_id), answer=form, status=422)


@bp.post("/requests/<int:document_id>/callback")
@employee
def callback_request(document_id: int):
    document = visible_document(REQUEST, document_id)
    form = CallbackForm()
    if form.validate_on_submit():
        try:
            services.call_back(current_documents(), document, form.score.data, form.note.data, current_user.id)
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            return redirect(url_for("crm.request", document_id=document.id))
    return _request_page(visible_document(REQUEST, document_id), callback=form, status=422)


# -- segments and the clean-up list -----------------------------------------------------
def segment_counts() -> dict:
    """Customers per ABC class and per RFM tier (one grouped query each)."""
    abc = dict(db.session.execute(select(Customer.abc_class, func.count()).group_by(Customer.abc_class)).all())
    tiers = dict(db.session.execute(select(Customer.rfm_tier, func.count()).group_by(Customer.rfm_tier)).all())
    return {"abc": abc, "tiers": tiers}


def segment_charts(counts: dict) -> tuple:
    abc = BarChart(_("Customers by ABC class"), categories=["A", "B", "C"],
                   series=[Series(_("Customers"), [counts["abc"].get(k, 0) for k in "ABC"], tone="info")],
                   category_label=_("Class"), id="crm-abc")
    tones = {"champions": "ok", "loyal": "info", "new": "info", "at_risk": "warn", "hibernating": "muted",
             "none": "muted"}
    tiers = DonutChart(_("Customers by RFM tier"), [Slice(str(label), counts["tiers"].get(key, 0), tones[key])
                                                     for key, label in TIER_LABELS.items()], id="crm-rfm")
    return abc, tiers


def refresh_segments(session, now, config) -> tuple[bool, int]:
    """Segment every customer from the sales module's orders; False when sales is off."""
    return services.refresh_segments(session, lambda since: ask("sales_customer_orders", since=since),
                                     calendar().today(now), now, config)


@bp.get("/segments")
@employee
def segments():
    counts = segment_counts()
    abc, tiers = segment_charts(counts)
    last = db.session.scalar(select(func.max(Customer.segmented_at)))
    return render("crm/segments.html", abc=abc, tiers=tiers, last=last)


@bp.post("/segments")
@permission_required(MANAGE)
def refresh():
    """Refresh the segments now (they are also refreshed nightly by `flask crm segments`)."""
    available, count = refresh_segments(db.session, utcnow(), settings())
    db.session.commit()
    flash(_("Segments refreshed: %(n)s customers with orders.", n=count) if available
          else _("The sales module is off: no orders to segment."), "success" if available else "warning")
    return redirect(url_for("crm.segments"))


@bp.get("/cleanup")
@permission_required(MANAGE)
def cleanup():
    return CLEANUP.render("crm/cleanup.html")


@bp.get("/cleanup/export.<any(csv, xlsx):fmt>")
@permission_required(MANAGE)
@writes
def export_cleanup(fmt: str):
    return CLEANUP.export(fmt)
