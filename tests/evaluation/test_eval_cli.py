"""`coach eval`: one command that measures the coach and writes the figures as JSON."""
import json

from coach.cli import main


def test_eval_writes_the_figures_a_user_asked_for(tmp_path, capsys):
    out = tmp_path / "latest.json"
    assert main(["eval", "--set", "support-replies", "--out", str(out)]) == 0
    figures = json.loads(out.read_text())
    entry = figures["agreement"]["support-replies-overall"]
    assert entry["measure"] == "spearman" and entry["n"] >= 40
    assert entry["value"] > 0.6  # the lead's ratings and the overall score agree
    assert figures["agreement"]["support-replies-pairs"]["value"] > 0.8
    assert "support-replies-overall" in capsys.readouterr().out


def test_eval_refuses_an_unknown_set(capsys):
    assert main(["eval", "--set", "nonsense"]) == 2
    assert "Unknown set(s) nonsense" in capsys.readouterr().err
