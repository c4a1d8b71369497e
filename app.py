"""Prioritise — entry point: page config and routing only.

Who the tab belongs to decides what the navigation shows: a facilitator
(their link carries the workshop code and key) sees setup, live control,
results and agreement, and a "Projector view" entry that opens the public
projector page of their workshop (``/present?code=…``, never the key) in a
new tab; anyone else (participants, whose link carries their token, and
visitors) gets no menu at all.  Every page is reachable by URL, and each one
checks for itself who may use it; the service refuses anything a page
should not do.  A page that meets a database outage says so and reruns by
itself (ui/outage.py).
"""

import streamlit as st

from ui import outage, runtime_tuning, session, state
from ui.qr import app_base_url, page_url
from ui.theme import accessible_style

PAGES = [  # (script, menu title, icon, url path (None: the start page), in the facilitator's menu)
    ("app_pages/start.py", "Start", "🏠", None, True),
    ("app_pages/setup.py", "Setup", "🛠️", "setup", True),
    ("app_pages/live.py", "Live control", "🎛️", "live", True),
    ("app_pages/results.py", "Results", "📊", "results", True),
    ("app_pages/agree.py", "Agree the shortlist", "✅", "agree", True),
    ("app_pages/plan.py", "Plan and performance", "📈", "plan", True),
    ("app_pages/present.py", "Projector view", "📽️", "present", False),  # public: the menu links to it below
    ("app_pages/join.py", "Join a workshop", "🙋", "join", False),
    ("app_pages/participate.py", "Your scores", "✍️", "vote", False),
    ("app_pages/lead.py", "Update your priority", "📝", "lead", False),  # workshop.models.LEAD_PATH
    ("app_pages/accessibility.py", "Accessibility statement", "♿", "accessibility", False),
]

runtime_tuning.apply()  # once per process: the garbage collector's settings for a full room
code = session.facilitator_code()
pages = [
    st.Page(
        path,
        title=title,
        icon=icon,
        url_path=url_path,
        default=url_path is None,
        visibility="visible" if menu and code else "hidden",
    )
    for path, title, icon, url_path, menu in PAGES
]
base = app_base_url(*(url_path for *_, url_path, _ in PAGES if url_path))
if code and base:  # an external page: Streamlit opens it in a new tab and the facilitator's tab stays as it is
    pages.append(
        st.Page(page_url(base, "present", {state.Q_CODE: code}), title="Projector view", icon="📽️", url_path="projector")
    )
navigation = st.navigation(pages, position="sidebar" if code else "hidden")
# Once per run, after the navigation (a second call in the same run is not applied on a fresh load).
st.set_page_config(page_title="Prioritise", page_icon="🗳️", layout=session.page_layout(navigation.url_path))
accessible_style()
with outage.handled():  # the database not answering: a calm message, and the page tries again by itself
    navigation.run()
