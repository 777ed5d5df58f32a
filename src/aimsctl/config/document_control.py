"""`documents:`: a report as a controlled document."""

from pydantic import Field

from aimsctl.config.fields import ConfigDate, Label, StrictModel


class Approval(StrictModel):
    """Who approved a document, and on which day."""

    by: Label = Field(title="Approved by", description="Who approved the document.")
    on: ConfigDate = Field(title="Approved on", description="The day of approval, YYYY-MM-DD.")


class DocumentControl(StrictModel):
    """A report as a controlled document: what its document-control block prints."""

    id: Label = Field(
        title="Document id",
        description="The document's identifier in the organization's document register.",
    )
    version: Label | None = Field(
        default=None, title="Version", description='The document\'s version as text, e.g. "2.1".'
    )
    owner: Label | None = Field(default=None, title="Owner", description="Who owns the document.")
    approval: Approval | None = Field(
        default=None, title="Approval", description="Who approved the document, and when."
    )
    next_review: ConfigDate | None = Field(
        default=None,
        title="Next review",
        description="When the document is next reviewed, YYYY-MM-DD.",
    )
