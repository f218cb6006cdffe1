"""Optional PAdES signatures with the company certificate (pyHanko).

Configure either ``PDF_SIGNING_PKCS12`` (with ``PDF_SIGNING_PASSPHRASE``) or
``PDF_SIGNING_KEY`` + ``PDF_SIGNING_CERT`` (PEM or DER; ``PDF_SIGNING_PASSPHRASE``
for an encrypted key). A PDF reader then shows the company signature, and any
later change to the file breaks it.
"""
from __future__ import annotations

import asyncio
import io
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property

from ..errors import N_

log = logging.getLogger(__name__)

#: The attributes of a certificate's subject, as a reader calls them (X.509 names by asn1crypto's keys).
SUBJECT_ATTRIBUTES = {
    "common_name": N_("Name"), "organization_name": N_("Organization"),
    "organizational_unit_name": N_("Organizational unit"), "country_name": N_("Country or region"),
    "state_or_province_name": N_("Province"), "locality_name": N_("City"), "email_address": N_("E-mail"),
}


def _run(make_coroutine):
    """Run one of pyHanko's coroutines to completion from synchronous code.

    pyHanko's own synchronous wrappers call asyncio.run, which fails when the
    thread already runs an event loop; then a short-lived thread does it.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


@dataclass(frozen=True)
class SigningStatus:
    configured: bool
    ok: bool
    message: str
    subject: str = ""
    not_after: datetime | None = None
    #: (attribute key, value) of the certificate's subject; SUBJECT_ATTRIBUTES names the keys
    subject_parts: tuple[tuple[str, str], ...] = ()
    #: why the certificate cannot be used, as a message id and its parameters, and the library's own words
    reason: str = ""
    params: dict | None = None
    detail: str = ""


def _signer_class():
    # pyHanko and cryptography load on the first signed print, not in every worker's start-up.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    class CompanySigner(SimpleSigner):
        """Parses the private key once; pyHanko's SimpleSigner parses and
        validates it again for every signature, which costs most of the time."""

        @cached_property
        def private_key(self):
            return serialization.load_der_private_key(self.signing_key.dump(), password=None)

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            if mechanism != "rsassa_pkcs1v15" or not isinstance(self.private_key, RSAPrivateKey):
                return super().sign_raw(data, digest_algorithm)
            return self.private_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return CompanySigner


class CompanySeal:
    """The company certificate, loaded once per process."""

    def __init__(self, *, pkcs12: str | None = None, key: str | None = None, cert: str | None = None,
                 passphrase: str | None = None):
        self.pkcs12, self.key, self.cert = pkcs12, key, cert
        self.passphrase = passphrase.encode("utf-8") if passphrase else None
        self._signer = None
        self._problem: str | None = None
        self._reason: tuple[str, dict, str] = ("", {}, "")
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config) -> "CompanySeal":
        return cls(pkcs12=config.get("PDF_SIGNING_PKCS12"), key=config.get("PDF_SIGNING_KEY"),
                   cert=config.get("PDF_SIGNING_CERT"), passphrase=config.get("PDF_SIGNING_PASSPHRASE"))

    @property
    def configured(self) -> bool:
        return bool(self.pkcs12 or (self.key and self.cert))

    def _load(self):
        if self._signer is not None or self._problem is not None:
            return self._signer
        with self._lock:
            if self._signer is None and self._problem is None:
                try:
                    signer_class = _signer_class()
                    if self.pkcs12:
                        loaded = signer_class.load_pkcs12(pfx_file=self.pkcs12, passphrase=self.passphrase)
                    else:
                        loaded = signer_class.load(key_file=self.key, cert_file=self.cert,
                                                   key_passphrase=self.passphrase)
                    # pyHanko's loaders build a plain SimpleSigner; keep our faster subclass
                    signer = signer_class(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                                          cert_registry=loaded.cert_registry,
                                          signature_mechanism=loaded.signature_mechanism) if loaded else None
                except (OSError, ValueError, TypeError) as error:
                    signer, detail = None, str(error)
                else:
                    detail = ""
                if signer is None:
                    self._refuse(N_("The company certificate cannot be opened: the file is missing or broken, or "
                                    "the passphrase is wrong or missing."), {}, detail)
                    log.error(self._problem)
                else:
                    expires = signer.signing_cert.not_valid_after
                    if expires < datetime.now(timezone.utc):
                        self._refuse(N_("The company certificate expired on %(day)s."),
                                     {"day": f"{expires:%Y-%m-%d}"}, "")
                    else:
                        self._signer = signer
        return self._signer

    def _refuse(self, reason: str, params: dict, detail: str) -> None:
        """Remember why the certificate cannot be used (English in logs and on paper, translated on pages)."""
        self._reason = (reason, params, detail)
        self._problem = f"{reason % params} {detail}".strip()

    def status(self) -> SigningStatus:
        if not self.configured:
            return SigningStatus(False, False, "No company certificate is configured; PDFs are not signed.")
        signer = self._load()
        if signer is None:
            reason, params, detail = self._reason
            return SigningStatus(True, False, self._problem or "", reason=reason, params=params, detail=detail)
        cert = signer.signing_cert
        parts = tuple((key, str(value)) for key, value in cert.subject.native.items())
        return SigningStatus(True, True, "PDFs are signed with the company certificate.",
                             subject=cert.subject.human_friendly, not_after=cert.not_valid_after,
                             subject_parts=parts)

    def sign(self, pdf: bytes, *, reason: str, location: str = "") -> bytes:
        """Sign the PDF; raises RuntimeError with the reason when the certificate is unusable."""
        signer = self._load()
        if signer is None:
            raise RuntimeError(self._problem or "no certificate")
        # Loaded on the first signed print (see _signer_class).
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        meta = signers.PdfSignatureMetadata(field_name="CompanySignature", reason=reason, location=location,
                                            subfilter=fields.SigSeedSubFilter.PADES)
        signed = _run(lambda: signers.async_sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer))
        return signed.getvalue()

    def trust_root(self):
        signer = self._load()
        return signer.signing_cert if signer is not None else None


@dataclass(frozen=True)
class SignatureReport:
    signed: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signed_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def verify_pdf(data: bytes, trust_roots: list) -> SignatureReport:
    """Check a signed PDF offline against the given certificates."""
    # Loaded on use, like _signer_class: only the verify command needs pyHanko's validation.
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except (PdfReadError, ValueError, KeyError):
        return SignatureReport(signed=False)
    if not signatures:
        return SignatureReport(signed=False)
    status = _run(lambda: async_validate_pdf_signature(signatures[-1], ValidationContext(trust_roots=trust_roots)))
    return SignatureReport(signed=True, intact=status.intact and status.valid, trusted=status.trusted,
                           whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                           signer=status.signing_cert.subject.human_friendly, signed_at=status.signer_reported_dt)


def create_certificate(path: str, *, common_name: str, organisation: str, passphrase: str, days: int = 3650) -> None:
    """A self-signed company certificate as PKCS#12, for companies without a certificate authority."""
    # Loaded on use: creating a certificate is a one-off command.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(common_name.encode("utf-8"), key, cert, None,
                                                 serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    with open(path, "wb") as handle:
        handle.write(data)
