"""Reports of a conformance run: allure extras, the certification report, the manifest and its signature.

    records.py        one line per test (``results.jsonl``), written by ``conformance.plugin.reporting``
    phases.py         pytest's setup/call/teardown reports merged into one record per test
    junit_import.py   the same records rebuilt from ``junit.xml`` when ``results.jsonl`` is missing
    status.py         per-requirement status (PASS, FAIL, DEVIATION, REVIEW, WAIVED, SKIPPED, NOT_RUN) and the verdict
    waivers.py        ``--waivers FILE``: accepted failures with a justification and an expiry date
    metadata.py       kit, Python, library and spec-file versions of a run
    allure_files.py   ``environment.properties`` and ``categories.json`` for allure
    certification.py  ``certification.json``, validated against ``specs/schemas/certification.schema.json``
    html_report.py    ``certification.html``, one self-contained page (fragments in html_parts.py, assets/)
    curl.py           a redacted curl line that reproduces one exchange
    manifest.py       ``MANIFEST.sha256`` and its Ed25519 signature ``MANIFEST.sig``
    build.py          everything above, from a report directory
    progress.py       pytest as a child process: redacted ``pytest.log``, rich progress on a terminal
    run_command.py / report_command.py / verify_command.py   the ``conformance`` subcommands

Every writer passes its text through ``conformance.redaction.REDACTOR``.
"""
