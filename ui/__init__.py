"""The app's Streamlit side: session state, cached resources, widgets and figures (docs/ARCHITECTURE.md §1)."""
