"""Prioritise — entry point: page config and routing only.

Who the tab belongs to decides what the navigation shows: a facilitator
(their link carries the workshop code and key) sees setup, live control,
results and agreement; anyone else (participants, whose link carries their
token, and visitors) gets no menu at all.  Every page is reachable by URL,
and each one checks for itself who may use it; the service refuses anything
a page should not do.  A page that meets a database outage says so and
reruns by itself (ui/outage.py).
"""

import streamlit as st

from ui import outage, session

is_facilitator = session.facilitator_menu()


def page(path: str, title: str, icon: str, url_path: str | None = None, menu: bool = True) -> st.Page:
    visibility = "visible" if menu and is_facilitator else "hidden"
    return st.Page(path, title=title, icon=icon, url_path=url_path, default=url_path is None, visibility=visibility)


navigation = st.navigation(
    [
        page("app_pages/start.py", "Start", "🏠"),
        page("app_pages/setup.py", "Setup", "🛠️", "setup"),
        page("app_pages/live.py", "Live control", "🎛️", "live"),
        page("app_pages/results.py", "Results", "📊", "results"),
        page("app_pages/agree.py", "Agree the shortlist", "✅", "agree"),
        page("app_pages/present.py", "Projector view", "📽️", "present"),
        page("app_pages/join.py", "Join a workshop", "🙋", "join", menu=False),
        page("app_pages/participate.py", "Your scores", "✍️", "vote", menu=False),
    ],
    position="sidebar" if is_facilitator else "hidden",
)
# Once per run, after the navigation (a second call in the same run is not applied on a fresh load).
st.set_page_config(page_title="Prioritise", page_icon="🗳️", layout=session.page_layout(navigation.url_path))
with outage.handled():  # the database not answering: a calm message, and the page tries again by itself
    navigation.run()
