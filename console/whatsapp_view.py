"""What the case page shows of a WhatsApp message beyond its text: the attachment, fetched
only when staff open it, and a shared location on a map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from console import ui
from console.i18n import t
from console.services import wa_media
from console.services.errors import ServiceError


def attachment(principal, case_id: int, mention) -> None:
    """A button that fetches the file from WhatsApp now. An image is shown as an image (bytes
    in an <img>, never HTML or SVG); anything else is offered as a download that the browser
    saves instead of opening."""
    found = mention.attachment
    if found is None:
        return
    if not st.button(t("case.media_open", kind=found.kind, mime=found.mime_type), key=f"case_media_{mention.id}",
                     icon=":material/attachment:"):
        return
    try:
        content, mime = wa_media.open_media(principal, case_id, mention.id)
    except ServiceError as exc:
        st.error(ui.explain(exc))
        return
    if wa_media.is_image(content, mime):
        st.image(content)
    else:
        st.download_button(t("case.media_download"), content, file_name=f"lampiran-{mention.id}",
                           mime="application/octet-stream", key=f"case_media_file_{mention.id}")


def place(mention) -> None:
    if mention.place is None:
        return
    st.caption(t("case.location"))
    st.map(pd.DataFrame({"lat": [mention.place.latitude], "lon": [mention.place.longitude]}), zoom=13)
