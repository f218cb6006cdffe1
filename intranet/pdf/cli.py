"""``flask --app intranet print`` and ``flask --app intranet pdf ...``."""
from __future__ import annotations

from pathlib import Path
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from ..cli import unit_of_work
from ..db import utcnow
from ..web.context import settings
from .fonts import FontMissing
from .printing import print_items, seal
from .services import PrintItem
from .signing import create_certificate, verify_pdf


@click.command("print")
@click.argument("numbers", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF.")
def print_command(numbers: tuple[str, ...], output: Path):
    """Print documents by number into one PDF (for archiving runs)."""
    templates = sorted(current_app.extensions["intranet"].pdf_templates.values(),
                       key=lambda t: t.module == "core")  # a module's own form before the generic record
    with current_app.test_request_context("/", base_url=current_app.config["PUBLIC_URL"]), \
            unit_of_work("print") as session:
        items, missing = [], []
        for number in numbers:
            found = next(((t, d) for t in templates if (d := t.find(session, number)) is not None), None)
            if found is None:
                missing.append(number)
            else:
                items.append(PrintItem(*found))
        if missing:
            raise click.ClickException(f"No document has the number {', '.join(missing)}.")
        try:
            pdf, printouts = print_items(items, None, utcnow())
        except FontMissing as problem:
            raise click.ClickException(str(problem)) from None
        session.commit()
    output.write_bytes(pdf)
    click.echo(f"Printed {len(printouts)} documents to {output}.")


pdf_group = AppGroup("pdf", help="Digitally signed PDFs.")


@pdf_group.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cert", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Trust this certificate (PEM or DER) instead of the configured company certificate.")
def verify_command(file: Path, cert: Path | None):
    """Check a signed PDF offline; exit 1 unless it is intact and signed by the company."""
    if cert is not None:
        # Loaded on use: only this option reads a PEM certificate.
        from pyhanko.keys import load_cert_from_pemder

        roots = [load_cert_from_pemder(str(cert))]
    else:
        root = seal().trust_root()
        roots = [root] if root is not None else []
    report = verify_pdf(file.read_bytes(), roots)
    if not report.signed:
        click.echo("Not signed.", err=True)
        sys.exit(1)
    click.echo(f"Signed by: {report.signer}")
    click.echo(f"Signed at: {report.signed_at:%Y-%m-%d %H:%M:%S %Z}" if report.signed_at else "Signed at: unknown")
    click.echo(f"Unchanged since signing: {'yes' if report.intact and report.whole_file else 'NO'}")
    click.echo(f"Trusted company certificate: {'yes' if report.trusted else 'NO'}")
    sys.exit(0 if report.ok else 1)


@pdf_group.command("create-certificate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--passphrase", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", help="The certificate's name (default: the company name).")
def create_certificate_command(file: Path, passphrase: str, name: str | None):
    """Create a self-signed company certificate (PKCS#12) for signing PDFs."""
    if not passphrase:
        raise click.ClickException("A passphrase is required.")
    values = settings()
    create_certificate(str(file), common_name=name or values["core.company_name"],
                       organisation=values["core.company_name_en"], passphrase=passphrase)
    click.echo(f"Created {file}. Set INTRANET_PDF_SIGNING_PKCS12={file} and INTRANET_PDF_SIGNING_PASSPHRASE.")
