"""The printed quotation comparison 《询价记录表》: lines down, suppliers across, the choice and its reason."""
from __future__ import annotations

from sqlalchemy.orm import object_session

from intranet.pdf import LineTable, PdfTemplate, PrintableDocument, label, latest_approval
from intranet.web import settings

from . import services
from .documents import PURCHASE_REQUEST
from .models import PurchaseRequest


def _build(request: PurchaseRequest) -> PrintableDocument:
    session = object_session(request)
    quotations = services.quotations_of(session, request.id)
    comparison = services.compare(quotations, settings()["procurement.close_price_percent"])
    chosen = next((q for q in quotations if q.id == request.chosen_quotation_id), None)
    columns = (label("Item"), label("Quantity"), *(q.supplier.name for q in quotations))
    rows = [(line.item + (f" {line.specification}" if line.specification else ""), f"{line.quantity.normalize():f}",
             *(f"{comparison.prices.get(line.id, {}).get(q.id, '—')}"
               + (" ★" if q.id in comparison.cheapest.get(line.id, ()) else "") for q in quotations))
            for line in request.lines]
    rows.append((label("Total"), "", *(f"{q.total}" for q in quotations)))
    rows.append((label("Lead time (days)"), "", *(str(q.lead_days) for q in quotations)))
    rows.append((label("Service and brand score"), "", *(str(q.service_score) for q in quotations)))
    rows.append((label("After-sales terms"), "", *(q.after_sales or "—" for q in quotations)))
    return PrintableDocument(
        "Quotation comparison", "询价记录表", request.number,
        [(label("Title"), request.title), (label("Chosen supplier"), chosen.supplier.name if chosen else "—"),
         (label("Quotations"), str(len(quotations)))],
        tables=[LineTable(label("Prices"), columns, rows, numeric=tuple(range(1, len(columns))))],
        text=[(label("Reason for the choice"), request.choice_reason or "—"),
              (label("Sample test"), request.sample_test or "—")])


def _content(request: PurchaseRequest) -> dict:
    session = object_session(request)
    return {"number": request.number, "chosen": request.chosen_quotation_id, "reason": request.choice_reason,
            "quotations": [{"supplier": q.supplier_id, "total": str(q.total), "lead": q.lead_days,
                            "prices": {p.line_id: str(p.unit_price) for p in q.prices}}
                           for q in services.quotations_of(session, request.id)]}


def comparison_template(can_view) -> PdfTemplate:
    return PdfTemplate(
        key="procurement.comparison", title="询价记录表", load=PURCHASE_REQUEST.load,
        find=PURCHASE_REQUEST.find, can_view=can_view, build=_build, content=_content,
        approval=lambda session, request: latest_approval(session, PURCHASE_REQUEST.key, request.id))
