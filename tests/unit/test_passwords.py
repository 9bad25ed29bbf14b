import pytest

from core.passwords import WeakPassword, check_strength, generate_password, hash_password, verify_password


def test_hash_is_argon2_and_verifies_only_the_right_password():
    hashed = hash_password("line-one-Bagger-7")
    assert hashed.startswith("$argon2id$")
    assert "line-one-Bagger-7" not in hashed
    assert verify_password(hashed, "line-one-Bagger-7")
    assert not verify_password(hashed, "line-one-bagger-7")
    assert not verify_password("not a hash", "line-one-Bagger-7")


@pytest.mark.parametrize(
    "password, reason",
    [("short1", "too short"), ("1234567890", "easy"), ("aaaaaaaaaaaa", "easy"),
     ("administrator", "easy"), ("my-maria-account", "user name")],
)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    with pytest.raises(WeakPassword, match=reason):
        check_strength(password, username="maria")


def test_generated_passwords_pass_and_differ():
    first, second = generate_password(), generate_password()
    check_strength(first, "demo")
    assert first != second
