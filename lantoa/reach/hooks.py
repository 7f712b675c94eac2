"""Extension points of reach's pages for the apps above it (reach imports none of them).

A contact's page shows what other apps keep about that contact (the field app: the photos taken at the door).
A provider is registered on the Wagtail hook ``lantoa_contact_panels`` in the app's ``wagtail_hooks.py``::

    @hooks.register(reach_hooks.CONTACT_PANELS)
    def panel(request, contact):
        return render_to_string(...) or ""  # HTML, or "" when the app has nothing for this contact

The provider checks what the user may see; the page shows the panels in the order the hooks were registered.
"""

from __future__ import annotations

from wagtail import hooks

CONTACT_PANELS = "lantoa_contact_panels"


def contact_panels(request, contact) -> list[str]:
    """The panels' HTML (``render_to_string`` marks it safe; anything else is escaped by the page)."""
    panels = (provider(request, contact) for provider in hooks.get_hooks(CONTACT_PANELS))
    return [html for html in panels if html]
