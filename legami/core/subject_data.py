"""What other modules hold about a referred person, for the data-subject rights that the
referrals module carries out (export, erasure, retention).

The person lives in `referrals`; modules below it (outcomes, ...) may not be imported from
there. Each declares its part in its manifest (`module.py`, `subject_data=`): an exporter
giving its section of the export, an eraser called inside the erasure's transaction, and
optionally the lines it adds to a referral's closing summary. An explicit list rather than
signals: the export and the erasure read as a loop over it.
"""

from collections.abc import Callable
from dataclasses import dataclass

# The model that holds who a referred person is (referrals' Beneficiary), named here so that
# the access log can say whose data a row is about without importing the module.
PERSON_MODEL = "referrals.beneficiary"


@dataclass(frozen=True)
class SubjectData:
    key: str  # the section's name in the export
    export: Callable[[object], object]  # beneficiary -> JSON-ready data
    # beneficiary -> None, inside the erasure's transaction, before the person's identity and
    # contacts are cleared (so that what is matched on them, e-mail or account, is still there)
    erase: Callable[[object], None]
    # referral -> rows for the closing summary's "outcome measures" (only with consent)
    referral_outcomes: Callable[[object], list[dict]] | None = None
    # How the section is printed for the person (the data-subject PDF): its title and, for an
    # export that is a list of rows, the columns shown, as (key, heading).
    title: object = ""
    columns: tuple = ()


def registered() -> list[SubjectData]:
    """Every module's part, in the order of their keys (the export's sections)."""
    from .modules import subject_data_entries

    return sorted(subject_data_entries(), key=lambda entry: entry.key)
