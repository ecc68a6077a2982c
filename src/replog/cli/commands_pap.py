"""``replog pap``: a primer block for the next session, and "does this help me?"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from replog.cli.context import JSON, print_json, state

if TYPE_CHECKING:
    from replog.core.pap import Block, Effect
    from replog.services.pap import PapPlan, PapReview


def register(app: typer.Typer) -> None:
    app.command("pap")(pap)


def pap(
    exercise: Annotated[list[str], typer.Argument(help="Exercise name or alias.")],
    increment: Annotated[
        float | None,
        typer.Option(
            "--increment",
            help="Smallest load step of your plates, in your unit (default 2.5 kg or 5 lb).",
        ),
    ] = None,
    tag: Annotated[
        str | None,
        typer.Option(
            "--tag", help="Instead: do sets with this tag beat your sets at the same load?"
        ),
    ] = None,
    as_json: JSON = False,
) -> None:
    """Plan a post-activation potentiation block and check whether primers (or a tag) help."""
    from replog.services.pap import pap_plan, pap_review, tag_review

    name = " ".join(exercise)
    if tag is not None:
        if increment is not None:
            raise typer.BadParameter("goes with the plan, not with --tag", param_hint="--increment")
        result = tag_review(state.uow(), state.lifter(), name, tag)
        if as_json:
            who = f'sets tagged "{result.review.subject}"'
            print_json({**_head(result), "tag": result.review.subject, **_review_doc(result, who)})
        else:
            _print_review(result, f'Sets tagged "{result.review.subject}"')
        return
    plan = pap_plan(state.uow(), state.lifter(), name, increment=increment)
    review = pap_review(state.uow(), state.lifter(), name)
    if as_json:
        who = "your working sets after a primer"
        print_json({**_head(review), "plan": _plan_doc(plan), **_review_doc(review, who)})
        return
    _print_plan(plan)
    typer.echo("")
    _print_review(review, "Your working sets after a primer")


def _head(r: PapReview) -> dict[str, Any]:
    return {"athlete": r.athlete.name, "exercise": {"key": r.exercise.key, "name": r.exercise.name}}


def _r(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


def _block_doc(b: Block) -> dict[str, Any]:
    return {
        "sets": b.sets,
        "reps": b.reps,
        "load": b.load,
        "load_kg": _r(b.load_kg),
        "pct_e1rm": _r(b.pct_e1rm * 100, 1),
        "expected_rpe": b.expected_rpe,
        "rest_between_s": b.rest_between_s,
        "why": b.why,
    }


def _plan_doc(plan: PapPlan) -> dict[str, Any] | None:
    from replog.services.e1rm import e1rm_doc

    p, e = plan.prescription, plan.estimate
    if p is None or e is None:
        from replog.core.analysis_doc import recommendation_to_dict

        blocked = None if plan.blocked_by is None else recommendation_to_dict(plan.blocked_by)
        return {"message": plan.message, "blocked_by": blocked, "e1rm": e1rm_doc(e)}
    return {
        "unit": p.unit.value,
        "increment": p.increment,
        "e1rm": {**(e1rm_doc(e) or {}), "value": _r(p.e1rm, 1)},
        "primer": _block_doc(p.primer),
        "rest_after_primer": {
            "target_s": p.rest.target_s,
            "low_s": p.rest.low_s,
            "high_s": p.rest.high_s,
            "why": p.rest.why,
        },
        "working": _block_doc(p.working),
        "today": None
        if plan.today is None
        else {
            "battery": plan.today.score,
            "level": plan.today.level,
            "skip_primer": plan.today.skip_primer,
            "working_load": plan.today.working_load,
            "rpe_cap": plan.today.rpe_cap,
            "why": plan.today.text,
        },
        "sources": list(p.sources),
    }


def _review_doc(r: PapReview, who: str) -> dict[str, Any]:
    from replog.services.pap import EFFECT_METHOD, MATCHING, VERDICT_RULE

    rev, e = r.review, r.review.effect
    return {
        "review": {
            "subject": rev.subject,
            "metric": rev.metric,
            "verdict": e.verdict.value,
            "summary": _sentence(e, who),
            "effect": {
                "n_treated": e.n_treated,
                "n_baseline": e.n_baseline,
                "mean_treated_m_s": _r(e.mean_treated, 4),
                "mean_baseline_m_s": _r(e.mean_baseline, 4),
                "diff_m_s": _r(e.diff, 4),
                "diff_pct": _r(e.diff_pct, 2),
                "g": _r(e.g),
                "ci95": None if e.ci_low is None else [_r(e.ci_low), _r(e.ci_high)],
            },
            "method": EFFECT_METHOD,
            "rule": VERDICT_RULE,
            "matching": MATCHING,
            "load_slope_m_s_per_kg": _r(rev.load_slope, 5),
            "sessions": [
                {
                    "session_id": c.session_id,
                    "date": c.day.isoformat(),
                    "load": c.load_text,
                    "load_kg": c.load_kg,
                    "sets": c.sets,
                    "velocity_m_s": _r(c.velocity, 4),
                    "baseline_m_s": _r(c.baseline, 4),
                    "baseline_sessions": c.baseline_sessions,
                    "diff_pct": _r(c.diff_pct, 2),
                    "rest_s": c.rest_s,
                    "note": c.note,
                }
                for c in rev.sessions
            ],
        }
    }


def _sentence(e: Effect, who: str) -> str:
    """``who`` moved X % faster than your baseline at the same load, g = .. [CI], n = ..."""
    parts = [who]
    if e.diff_pct is not None:
        direction = "faster" if e.diff_pct >= 0 else "slower"
        parts.append(
            f"moved {abs(e.diff_pct):.1f} % {direction} than your baseline at the same load"
        )
    else:
        parts.append("have nothing at the same load to compare with")
    stats = []
    if e.g is not None and e.ci_low is not None and e.ci_high is not None:
        stats.append(f"g = {e.g:.2f} [{e.ci_low:.2f}, {e.ci_high:.2f}]")
    stats.append(f"n = {e.n_treated} vs {e.n_baseline} sessions")
    return f"{' '.join(parts)}, {', '.join(stats)}: {e.verdict.value}"


def _num(x: float) -> str:
    return f"{x:g}"


def _print_plan(plan: PapPlan) -> None:
    p, e = plan.prescription, plan.estimate
    typer.echo(f"{plan.exercise.name} · PAP block for your next session")
    if p is None or e is None:
        typer.echo(plan.message)
        return
    u = p.unit.value
    typer.echo(f"e1RM {p.e1rm:.1f} {u} · {e.method}")
    typer.echo(f"     from {e.basis}")
    w, pr, rest = p.working, p.primer, p.rest
    lines = [
        (
            "primer",
            f"{_num(pr.load)} {u} x 1",
            f"{pr.pct_e1rm * 100:.1f} % of e1RM, ~RPE {pr.expected_rpe:g}",
            pr.why,
        ),
        (
            "rest",
            f"{rest.target_s / 60:g} min",
            f"{rest.low_s / 60:g}-{rest.high_s / 60:g} min after the primer",
            rest.why,
        ),
        (
            "working",
            f"{_num(w.load)} {u} {w.sets}x{w.reps}",
            f"{w.pct_e1rm * 100:.1f} % of e1RM, ~RPE {w.expected_rpe:g}, "
            f"{(w.rest_between_s or 0) / 60:g} min apart",
            w.why,
        ),
    ]
    for i, (role, what, how, why) in enumerate(lines, 1):
        typer.echo(f"  {i}. {role:<8} {what:<18} {how}")
        typer.echo(f"     why: {why}")
    t = plan.today
    battery = "no reading yet" if t is None or t.score is None else f"{t.score}/100 ({t.level})"
    if t is not None and (t.skip_primer or t.working_load != w.load):
        drop = "leave the primer out, " if t.skip_primer else ""
        typer.echo(
            f"today, battery {battery}: {drop}working sets at "
            f"{_num(t.working_load)} {u}" + (f", cap RPE {t.rpe_cap:g}" if t.rpe_cap else "")
        )
        typer.echo(f"     why: {t.text}")
    elif t is not None:
        typer.echo(f"today, battery {battery}: the block as written; {t.text}")


def _print_review(r: PapReview, who: str) -> None:
    from replog.services.pap import MATCHING, VERDICT_RULE

    rev = r.review
    typer.echo(f"{r.exercise.name} · {_sentence(rev.effect, who)}")
    if not rev.sessions:
        none = "primer" if rev.subject == "primer" else f'set tagged "{rev.subject}"'
        typer.echo(f"  no session with a {none} and bar velocity yet")
    else:
        typer.echo(
            f"  {'date':<10}  {'load':>10}  {'sets':>4}  {'v m/s':>6}  {'baseline':>12}  "
            f"{'diff':>7}  {'rest':>8}  note"
        )
    for c in rev.sessions:
        base = f"{c.baseline:.3f} ({c.baseline_sessions})" if c.baseline is not None else "-"
        diff = f"{c.diff_pct:+.1f} %" if c.diff_pct is not None else "-"
        rest = f"{c.rest_s / 60:.1f} min" if c.rest_s is not None else ""
        typer.echo(
            f"  {c.day.isoformat():<10}  {c.load_text:>10}  {c.sets:>4}  {c.velocity:>6.3f}  "
            f"{base:>12}  {diff:>7}  {rest:>8}  {c.note}".rstrip()
        )
    typer.echo(f"  compared: {MATCHING}")
    typer.echo(f"  verdict: {VERDICT_RULE}")
