"""Placeholder: filled in by the checkout work (issue 5)."""

urlpatterns = []
