"""Guessing the editor password (issue 23, point 5): wrong guesses are limited per client address and overall,
a held attempt is refused without checking the password (no scrypt cost), every refusal is logged with the
address, and `python -m geo mot-de-passe` refuses common or low-variety passwords."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from geo import access, attempts

RIGHT = "correct cheval pile agrafe"


class Clock:
    """A clock the test moves by hand: no test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Guess:
    """A verify function that counts its calls (each one would cost a scrypt hash)."""

    def __init__(self, right: bool = False) -> None:
        self.right, self.calls = right, 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.right


def limiter(**kwargs) -> tuple[attempts.Limiter, Clock]:
    clock = Clock()
    return attempts.Limiter(clock=clock, **kwargs), clock


def test_the_sixth_guess_from_one_address_is_held_without_checking():
    lim, clock = limiter()
    wrong = Guess()
    for _ in range(4):
        outcome = lim.check("203.0.113.7", wrong)
        assert outcome.checked and not outcome.ok and outcome.wait == 0
    fifth = lim.check("203.0.113.7", wrong)
    assert fifth.checked and not fifth.ok and fifth.wait == 30  # the 5th wrong guess starts the hold
    assert wrong.calls == 5
    right = Guess(right=True)
    held = lim.check("203.0.113.7", right)  # even the right password is not checked during a hold
    assert not held.checked and not held.ok and held.wait == 30 and right.calls == 0
    clock.now += 10
    assert lim.check("203.0.113.7", right).wait == 20 and right.calls == 0
    # exponential backoff: 30 s, 60 s, 120 s, … capped at 15 minutes
    waits = []
    for _ in range(8):
        clock.now += lim.wait("203.0.113.7")
        outcome = lim.check("203.0.113.7", wrong)
        assert outcome.checked
        waits.append(outcome.wait)
        assert not lim.check("203.0.113.7", wrong).checked
    assert waits == [60, 120, 240, 480, 900, 900, 900, 900]
    assert wrong.calls == 13


def test_another_address_is_not_held_by_the_first_ones_failures():
    lim, _ = limiter()
    wrong = Guess()
    for _ in range(7):
        lim.check("203.0.113.7", wrong)
    assert wrong.calls == 5 and lim.wait("203.0.113.7") == 30
    assert lim.wait("198.51.100.2") == 0
    right = Guess(right=True)
    assert lim.check("198.51.100.2", right).ok and right.calls == 1
    assert lim.wait(None) == 0  # the machine itself (Streamlit gives no address) is one more address


def test_a_right_password_resets_the_address():
    lim, _ = limiter()
    wrong = Guess()
    for _ in range(4):
        lim.check("203.0.113.7", wrong)
    assert lim.check("203.0.113.7", Guess(right=True)).ok
    for _ in range(4):
        assert lim.check("203.0.113.7", wrong).wait == 0
    assert lim.check("203.0.113.7", wrong).wait == 30
    assert wrong.calls == 9


def test_the_overall_cap_holds_every_address():
    """Many addresses (a botnet, an IPv6 range) each under the per-address limit: past 30 wrong guesses in a
    minute every check is held, a fresh address too, then the hold doubles if guessing goes on."""
    lim, clock = limiter()
    wrong = Guess()
    for i in range(30):
        assert lim.check(f"10.0.0.{i}", wrong).checked
        clock.now += 1
    assert wrong.calls == 30
    right = Guess(right=True)
    held = lim.check("192.0.2.1", right)
    assert not held.checked and 0 < held.wait <= 60 and right.calls == 0
    clock.now += held.wait
    assert lim.check("192.0.2.1", right).ok and right.calls == 1
    for i in range(30):  # a second wave: the overall hold doubles
        lim.check(f"10.0.1.{i}", wrong)
    held = lim.check("192.0.2.2", right)
    assert not held.checked and held.wait == 120
    assert wrong.calls == 60


def test_wrong_guesses_spread_over_time_stay_under_the_overall_cap():
    lim, clock = limiter()
    wrong = Guess()
    for i in range(100):  # 20 a minute, from many addresses: never held
        assert lim.check(f"10.0.0.{i}", wrong).checked
        clock.now += 3
    assert wrong.calls == 100


def test_guesses_in_flight_count_before_their_hash_ends():
    """Twenty sessions guessing at once from one address: the attempts being checked already count, so the
    6th is held while the first five hashes are still running."""
    lim, _ = limiter()
    inside, release = threading.Semaphore(0), threading.Event()

    def slow_wrong() -> bool:
        inside.release()
        release.wait(10)
        return False

    threads = [threading.Thread(target=lim.check, args=("203.0.113.7", slow_wrong)) for _ in range(5)]
    for t in threads:
        t.start()
    for _ in range(5):
        assert inside.acquire(timeout=10)
    guess = Guess()
    held = lim.check("203.0.113.7", guess)
    release.set()
    for t in threads:
        t.join(10)
    assert not held.checked and guess.calls == 0


def test_memory_is_bounded():
    """Addresses beyond the cap drop the oldest ones (an IPv6 range gives an attacker many addresses: the
    overall cap holds them all the same)."""
    lim, clock = limiter(max_addresses=100)
    wrong = Guess()
    for i in range(1000):  # 20 a minute: under the overall cap
        lim.check(f"2001:db8::{i:x}", wrong)
        clock.now += 3
    assert lim.tracked() == 100 and wrong.calls == 1000
    for _ in range(4):  # a recent address still counts its first failure: its 5th starts the hold
        lim.check("2001:db8::3e7", wrong)
    assert lim.wait("2001:db8::3e7") == 30


def test_every_refusal_is_logged_with_the_address(caplog):
    lim, _ = limiter()
    caplog.set_level(logging.INFO, logger="geo")
    for _ in range(6):
        lim.check("203.0.113.7", Guess(), who="Marie\nDupont")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "geo.attempts"]
    assert len(warnings) == 6 and all("203.0.113.7" in r.getMessage() for r in warnings)
    assert "incorrect" in warnings[0].getMessage() and "Marie Dupont" in warnings[0].getMessage()
    assert "sans vérification" in warnings[-1].getMessage() and "30 s" in warnings[-1].getMessage()
    assert not any("\n" in r.getMessage() for r in warnings)  # a name cannot forge a log line
    caplog.clear()
    lim.check(None, Guess())
    assert "127.0.0.1" in caplog.records[-1].getMessage()


def test_the_server_shares_one_limiter():
    assert isinstance(attempts.LIMITER, attempts.Limiter)


# --- the password itself -----------------------------------------------------------------------------------

@pytest.mark.parametrize("password,reason", [
    ("aaaaaaaaaaaa", "trop peu de caractères différents"),
    (" " * 12, "trop peu de caractères différents"),
    ("password1234", "trop courant"),
    ("azertyuiop12", "trop courant"),
    ("motdepasse2024", "trop courant"),
    ("123456789012", "trop courant"),
    ("Azerty123456", "trop courant"),
    ("court", "12 caractères au moins"),
])
def test_weak_passwords_are_refused_with_a_french_reason(password, reason):
    assert reason in access.password_problem(password)


@pytest.mark.parametrize("password", [
    RIGHT, "Jeux Olympiques à Lens 2024", "x7#Kp2!qLm9z",
    "le vent souffle sur les terrils de Loos-en-Gohelle quand passent les coureurs du soir",  # > 72 characters
])
def test_good_passwords_pass(password):
    assert access.password_problem(password) is None


def _cli(monkeypatch, capsys, typed: str) -> tuple[int, str, str]:
    import io

    from geo import cli

    monkeypatch.setattr(sys, "stdin", io.StringIO(typed + "\n"))
    code = cli.main(["mot-de-passe", "--stdin"])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("typed,reason", [
    ("aaaaaaaaaaaa", "trop peu de caractères différents"),
    ("password1234", "trop courant"),
    (" " * 12, "trop peu de caractères différents"),
    ("azertyuiop12", "trop courant"),
    ("trop court", "12 caractères au moins"),
])
def test_the_password_command_refuses_a_weak_password(monkeypatch, capsys, typed, reason):
    code, out, err = _cli(monkeypatch, capsys, typed)
    assert code == 2 and out == "" and reason in err


def test_the_password_command_accepts_a_passphrase(monkeypatch, capsys):
    code, out, _ = _cli(monkeypatch, capsys, RIGHT)
    assert code == 0
    stored = out.split('"')[1]
    assert access.verify_password(RIGHT, stored)
    assert access.settings({"acces": {"mot_de_passe_editeur": stored}}, {}).mode == "mot_de_passe"


def test_an_existing_hash_of_a_weak_password_is_still_accepted():
    """The rules are for new passwords: a deployment whose hash was made before them keeps working."""
    stored = access.hash_password("password1234")
    assert access.settings({}, {"TDJ_MOT_DE_PASSE_EDITEUR": stored}).mode == "mot_de_passe"


# --- the sign-in box -----------------------------------------------------------------------------------------

def test_the_sign_in_box_says_to_wait_after_repeated_wrong_passwords(store_copy, monkeypatch, caplog):
    from streamlit.testing.v1 import AppTest

    from geo.paths import ROOT

    clock = Clock()
    monkeypatch.setattr(attempts, "LIMITER", attempts.Limiter(clock=clock))  # no leftover from other tests
    monkeypatch.setenv("TDJ_MOT_DE_PASSE_EDITEUR", access.hash_password("mot de passe de test"))
    caplog.set_level(logging.INFO, logger="geo")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.text_input(key="acces.nom").input("Marie Dupont")

    def sign_in(password: str) -> list[str]:
        at.sidebar.text_input(key="acces.mdp").input(password)
        at.sidebar.button(key="acces.entrer").click().run()
        assert not at.exception
        return [e.value for e in at.sidebar.error]

    for _ in range(4):
        assert sign_in("mauvais mot de passe") == ["Mot de passe éditeur incorrect."]
    assert sign_in("mauvais mot de passe") == [
        "Mot de passe éditeur incorrect. Trop d'essais : réessayez dans 30 s."]
    clock.now += 12
    assert sign_in("mot de passe de test") == ["Trop d'essais : réessayez dans 18 s."]  # not even checked
    assert not any("importer" in link.proto.page for link in at.sidebar.get("page_link"))
    held = [r.getMessage() for r in caplog.records if r.name == "geo.attempts"]
    assert len(held) == 6 and "sans vérification" in held[-1]
    clock.now += 18
    assert sign_in("mot de passe de test") == []
    assert any("importer" in link.proto.page for link in at.sidebar.get("page_link"))
