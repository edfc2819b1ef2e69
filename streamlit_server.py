"""The console's server: the Streamlit app (streamlit_app.py, which only routes) plus the
route that streams the Ekspor page's files. Run: streamlit run streamlit_server.py"""

import streamlit as st
from starlette.routing import Route

from console.downloads import DOWNLOAD_PATH, serve

ROUTES = [Route(DOWNLOAD_PATH + "/{token}", serve, methods=["GET"])]
app = st.App("streamlit_app.py", routes=ROUTES)
