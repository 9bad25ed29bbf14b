"""Without an SMTP server (the demo), mail is delivered into a folder as .eml files that any mail reader opens."""

from email import message_from_bytes, policy

import pytest

from core.mail import FolderMailer, MailError


def test_each_message_is_one_complete_eml_file(tmp_path):
    mailer = FolderMailer(tmp_path / "outbox", "floorboard@floorboard.test")
    mailer.send(["sam@floorboard.test", "max@floorboard.test"], "HIGH andon: maintenance at BAG1", "Gearbox noise",
                [("report.pdf", b"%PDF-1.7 ...", "application/pdf")])
    mailer.send(["pia@floorboard.test"], "second", "body")
    files = sorted((tmp_path / "outbox").iterdir())
    assert len(files) == 2 and all(f.suffix == ".eml" for f in files)
    messages = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    first = next(m for m in messages if m["Subject"] == "HIGH andon: maintenance at BAG1")
    assert first["To"] == "sam@floorboard.test, max@floorboard.test"
    assert first.get_body(("plain",)).get_content().strip() == "Gearbox noise"
    [attachment] = list(first.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content()) == ("report.pdf", b"%PDF-1.7 ...")


def test_a_folder_that_cannot_be_written_is_a_mail_error(tmp_path):
    blocked = tmp_path / "outbox"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(MailError, match="mail folder"):
        FolderMailer(blocked).send(["sam@floorboard.test"], "subject", "body")
