"""Short, language-neutral traceability links (mounted at /t/ outside i18n_patterns):
they are printed in QR codes, so they must never change."""

from django.urls import re_path

from catalogue import trace

# Eight characters of TRACE_CODE_ALPHABET; any case, the view upper-cases it.
CODE = r"(?P<code>[0-9A-Za-z]{8})"

urlpatterns = [
    re_path(rf"^{CODE}/$", trace.trace_page, name="trace"),
    re_path(rf"^{CODE}/qr\.svg$", trace.trace_qr_svg, name="trace-qr-svg"),
    re_path(rf"^{CODE}/qr\.png$", trace.trace_qr_png, name="trace-qr-png"),
    re_path(rf"^{CODE}/stamps\.pdf$", trace.trace_stamps, name="trace-stamps"),
]
