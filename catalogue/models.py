# Customised Oscar models are declared above the star import (none yet).

from oscar.apps.catalogue.models import *  # noqa: E402, F403  (must stay last)
