"""The Textual face of tracker: ``create_app`` builds the app for the command line and the tests."""
