"""Pages of the example module: its items, and its orders built on the module kit."""
from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from intranet import DomainError, db
from intranet.auth import visible_clause
from intranet.documents import attach, can_view, current_documents, panels, timeline, uploads
from intranet.files import FileRules
from intranet.web import (edit_lines, employee, form_error, org_chart, permission_required, render, settings,
                          signed_in_user, total, writes)

from .documents import EXAMPLE_ORDER, ORDERS
from .forms import OrderForm
from .models import ExampleItem, ExampleOrder, ExampleOrderLine

bp = Blueprint("example", __name__, template_folder="templates")


@bp.get("/")
@employee
def items():
    query = select(ExampleItem).where(visible_clause(
        current_user, org_chart(), owner_column=ExampleItem.owner_id,
        department_column=ExampleItem.department_id, widen="example.view_all"))
    return render("example/items.html", items=db.session.scalars(query.order_by(ExampleItem.id)).all())


@bp.post("/<int:item_id>/done")
@permission_required("example.manage")
def done(item_id: int):
    item = db.session.get(ExampleItem, item_id) or abort(404)
    item.done = True
    db.session.commit()
    return {"done": item.id}


# -- orders: a document with lines, attachments, approval and a printed form -------------
@bp.get("/orders/")
@employee
def orders():
    return ORDERS.render("example/orders.html")


@bp.get("/orders/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt):
    return ORDERS.export(fmt)


def _order(document_id):
    order = EXAMPLE_ORDER.load_one(db.session, document_id) or abort(404)
    if not can_view(EXAMPLE_ORDER)(current_user, order):
        abort(403)
    return order


def _save(order):
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    form = OrderForm(formdata=formdata, obj=order)
    if not line_button and form.validate_on_submit():
        documents = current_documents()
        try:
            if order is None:
                order = ExampleOrder(title=form.title.data, category=form.category.data,
                                     reviewer_id=form.reviewer_id.data)
                documents.create(order, signed_in_user())
            else:
                documents.check_editable(order, current_user.id)
                order.title, order.category = form.title.data, form.category.data
                order.reviewer_id = form.reviewer_id.data
            order.lines = [ExampleOrderLine(position=i, **row) for i, row in enumerate(form.lines.data)]
            order.amount = total(form.lines.data, "quantity", "unit_price")
            rules = FileRules.attachments(settings())
            for upload in uploads("files", rules):
                attach(db.session, EXAMPLE_ORDER, order, upload, rules=rules, user_id=current_user.id)
            if request.form.get("submit"):
                documents.submit(order, current_user.id)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("example.order", document_id=order.id))
    amounts = [total([row], "quantity", "unit_price") for row in form.lines.data]
    status = 422 if request.method == "POST" and not line_button else 200
    return render("example/order_form.html", form=form, order=order, amounts=amounts,
                  total=total(form.lines.data, "quantity", "unit_price"), status=status)


@bp.route("/orders/new", methods=["GET", "POST"])
@employee
def new_order():
    return _save(None)


@bp.route("/orders/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit_order(document_id):
    return _save(_order(document_id))


@bp.get("/orders/<int:document_id>")
@employee
def order(document_id):
    order = _order(document_id)
    documents = current_documents()
    return render("example/order.html", document=order, kind=EXAMPLE_ORDER, editable=documents.editable(order),
                  approval=documents.latest_approval(order), entries=timeline(db.session, EXAMPLE_ORDER, order),
                  panels=panels(EXAMPLE_ORDER, order, signed_in_user()))


@bp.post("/orders/<int:document_id>/submit")
@employee
def submit_order(document_id):
    order = _order(document_id)
    current_documents().submit(order, current_user.id)
    db.session.commit()
    return redirect(url_for("example.order", document_id=order.id))
