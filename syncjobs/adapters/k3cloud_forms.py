"""What the K3Cloud adapter must know about a form to read and write it.

ExecuteBillQuery answers flat rows (one per entry row), so turning rows back into records
needs each form's primary key, its number key and the primary keys of its entry tables;
writing needs the primary key (absent = create) and the one-row sub-heads a Save model nests
header fields under. The ERP offers no cheap way to ask for this, hence a small catalog of
the forms the hub's scenarios use. A form missing here is read as a generic bill (FID,
FBillNo, entry tables named by the mapping's ``Entry[].Field`` paths, each keyed FEntryID).
"""

from dataclasses import dataclass, field, replace

BILL = "bill"
BASE = "base"


@dataclass(frozen=True)
class FormInfo:
    """One form: its keys, entry tables (``{entry key: entry primary key}``) and sub-heads."""

    form_id: str
    kind: str
    pk: str
    number_key: str
    entries: dict = field(default_factory=dict)
    subheads: tuple = ()
    # Allocatable base data keeps one copy per use organisation; the original is the row
    # whose FMASTERID equals its own primary key.
    master_key: str | None = None
    modify_date_key: str = "FModifyDate"
    # Who saved the record last, a SEC_User id; None: not asked for (see ``form_info``).
    modifier_key: str | None = "FModifierId"
    approve_date_key: str | None = "FApproveDate"
    status_key: str = "FDocumentStatus"

    @property
    def is_bill(self):
        return self.kind == BILL

    @property
    def void_operation(self):
        """The ExcuteOperation that takes a record out of use: Forbid base data, Cancel bills."""
        return "Cancel" if self.is_bill else "Forbid"

    @property
    def deleted_key(self):
        """The status key that marks a record voided: FCancelStatus (bills), FForbidStatus (base)."""
        return "FCancelStatus" if self.is_bill else "FForbidStatus"

    def entry_id_key(self, entry):
        """The query key of an entry row's id, e.g. ``FSaleOrderEntry_FEntryID``."""
        return f"{entry}_{self.entries.get(entry, 'FEntryID')}"

    def with_entries(self, entries):
        """This form, knowing also ``entries`` (entry keys the mapping walks with ``[]``)."""
        known = {key.lower() for key in self.entries}
        extra = {entry: "FEntryID" for entry in entries if entry.lower() not in known}
        if not extra:
            return self
        return replace(self, entries={**self.entries, **extra})


CATALOG = {
    info.form_id.lower(): info
    for info in (
        FormInfo(
            "BD_Customer",
            BASE,
            pk="FCUSTID",
            number_key="FNumber",
            entries={
                "FT_BD_CUSTCONTACT": "FENTRYID",
                "FT_BD_CUSTBANK": "FENTRYID",
                "FT_BD_CUSTLOCATION": "FENTRYID",
            },
            master_key="FMASTERID",
        ),
        FormInfo(
            "BD_MATERIAL",
            BASE,
            pk="FMATERIALID",
            number_key="FNumber",
            subheads=("SubHeadEntity", "SubHeadEntity1", "SubHeadEntity2"),
            master_key="FMASTERID",
        ),
        FormInfo("BD_COMMONCONTACT", BASE, pk="FContactId", number_key="FNumber"),
        FormInfo("ORG_Organizations", BASE, pk="FORGID", number_key="FNumber"),
        FormInfo(
            "SAL_SaleOrder",
            BILL,
            pk="FID",
            number_key="FBillNo",
            entries={"FSaleOrderEntry": "FEntryID", "FSaleOrderPlan": "FEntryID"},
            subheads=("FSaleOrderFinance",),
        ),
        FormInfo(
            "SAL_DELIVERYNOTICE",
            BILL,
            pk="FID",
            number_key="FBillNo",
            entries={"FEntity": "FEntryID"},
            subheads=("SubHeadEntity",),
        ),
        FormInfo(
            "SAL_OUTSTOCK",
            BILL,
            pk="FID",
            number_key="FBillNo",
            entries={"FEntity": "FEntryID"},
            subheads=("SubHeadEntity",),
        ),
        FormInfo(
            "AR_RECEIVEBILL",
            BILL,
            pk="FID",
            number_key="FBillNo",
            entries={"FRECEIVEBILLENTRY": "FEntryID"},
        ),
    )
}


def form_info(form_id):
    """The catalog entry of ``form_id`` (any case); a generic bill for forms not in it.

    A generic form is not asked for its modifier: bills and base data have FModifierId [spec],
    but a form that lacks it would refuse the whole query, and its records' echoes are still
    recognised by their values.
    """
    known = CATALOG.get(str(form_id).lower())
    if known is not None:
        return known
    return FormInfo(str(form_id), BILL, pk="FID", number_key="FBillNo", modifier_key=None)
