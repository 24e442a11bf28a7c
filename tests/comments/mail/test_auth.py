from comments.mail.auth import authentication_verdict

OURS = (
    "mx.sourcehat.example; spf=pass smtp.mailfrom=a@b.example;"
    " dkim=pass header.d=b.example; dmarc=pass (p=none) header.from=b.example"
)
FORGED = "mx.sourcehat.example.evil; spf=pass; dkim=pass; dmarc=pass"


def test_header_from_our_server_verdicts_are_read():
    assert authentication_verdict([OURS], "mx.sourcehat.example") == {
        "spf": "pass",
        "dkim": "pass",
        "dmarc": "pass",
    }


def test_authserv_id_compared_case_insensitively():
    assert authentication_verdict([OURS], "MX.SourceHat.Example")["dmarc"] == "pass"


def test_header_from_another_server_is_ignored():
    assert authentication_verdict([FORGED], "mx.sourcehat.example") == {
        "spf": "unknown",
        "dkim": "unknown",
        "dmarc": "unknown",
    }


def test_empty_authserv_id_trusts_nothing():
    assert set(authentication_verdict([OURS], "").values()) == {"unknown"}


def test_forged_pass_does_not_override_our_fail():
    ours = "mx.sourcehat.example; dmarc=fail header.from=b.example"
    verdict = authentication_verdict(
        [ours, FORGED],
        "mx.sourcehat.example",
    )
    assert verdict["dmarc"] == "fail"


def test_several_dkim_results_worst_is_reported():
    value = (
        "mx.sourcehat.example; dkim=pass header.d=a.example;"
        " dkim=fail header.d=b.example"
    )
    assert authentication_verdict([value], "mx.sourcehat.example")["dkim"] == "fail"


def test_method_missing_from_trusted_header_is_none():
    value = "mx.sourcehat.example 1; spf=softfail smtp.mailfrom=x.example"
    verdict = authentication_verdict([value], "mx.sourcehat.example")
    assert verdict == {"spf": "softfail", "dkim": "none", "dmarc": "none"}


def test_comments_inside_header_do_not_confuse_results():
    value = "mx.sourcehat.example; dkim=pass (dmarc=fail in a comment) header.d=x"
    verdict = authentication_verdict([value], "mx.sourcehat.example")
    assert verdict["dkim"] == "pass"
    assert verdict["dmarc"] == "none"


def test_garbage_header_values_give_unknown():
    assert set(authentication_verdict(["", ";;;", "()"], "mx").values()) == {"unknown"}
