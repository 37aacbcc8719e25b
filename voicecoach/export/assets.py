"""The report's inline style and its one inline script, with the Content-Security-Policy that allows exactly it."""

from __future__ import annotations

import base64
import hashlib

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#f9fafb;margin:0}
main{max-width:880px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:1.6rem;margin:.2em 0}h2{font-size:1.2rem;margin:1.8em 0 .6em;border-bottom:1px solid #e5e7eb}
.meta{color:#4b5563;margin:0 0 1em;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px}
.overall{font-size:2rem;font-weight:700}
.question{background:#eef2ff;border-left:4px solid #6366f1;padding:10px 14px;border-radius:4px}
table{border-collapse:collapse;width:100%;background:#fff;margin:.6em 0}
th,td{border:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}
.turn{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:10px 14px;margin:10px 0}
.turn.candidate{border-left:4px solid #16a34a}.turn.interviewer{border-left:4px solid #6366f1}
.who{font-weight:600}.when{color:#6b7280;font-variant-numeric:tabular-nums;margin-right:8px}
.kind{color:#6b7280;font-size:.85em}.text{margin:.4em 0;white-space:pre-wrap}
audio{width:100%;max-width:520px;margin:6px 0;display:block}
.stats,.note{color:#4b5563;font-size:.9em}.note{font-style:italic}
blockquote{margin:.3em 0;padding-left:10px;border-left:3px solid #d1d5db;color:#374151}
.feedback{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:10px 14px;white-space:pre-wrap}
mark.filler{background:#fee2e2;color:inherit;border-radius:3px}mark.hedge{background:#fef3c7;color:inherit;border-radius:3px}
.text [data-t]{cursor:pointer}.text [data-t]:hover{text-decoration:underline}.text .now{outline:2px solid #6366f1}
a.moment{font-size:.85em;white-space:nowrap}
#top-fixes ol{padding-left:1.3em}#top-fixes li{background:#fff;border:1px solid #fde68a;border-radius:6px;padding:8px 12px;
margin:8px 0}.fix-dim{font-weight:600}.why{margin:.3em 0}.stronger{margin:.3em 0;color:#065f46}
.change.better{color:#15803d}.change.worse{color:#b91c1c}li.fixed strong{color:#15803d}li.not-fixed strong{color:#b45309}
.legend{font-size:.85em;color:#4b5563}button{font:inherit;padding:4px 10px;margin:4px 0}
svg text{user-select:none}
"""

# Plays from any [data-t] element: a quote's moment link (data-turn names its turn) or a word of the transcript.
# "Replay" plays every turn's audio in order. Handlers are attached here: the policy forbids inline handlers.
SCRIPT = """
(() => {
  const audios = [...document.querySelectorAll(".turn audio")];
  let chain = false;
  const turnOf = el => el.dataset.turn !== undefined ? document.getElementById("turn-" + el.dataset.turn)
    : el.closest(".turn");
  const only = keep => audios.forEach(a => { if (a !== keep) a.pause(); });
  const playAt = (audio, t) => {
    const go = () => { audio.currentTime = t; only(audio); const p = audio.play(); if (p) p.catch(() => {}); };
    if (audio.readyState >= 1) go(); else { audio.addEventListener("loadedmetadata", go, {once: true}); audio.load(); }
  };
  document.addEventListener("click", e => {
    if (e.target.id === "replay") { chain = true; if (audios.length) playAt(audios[0], 0); return; }
    const el = e.target.closest("[data-t]");
    const turn = el && turnOf(el);
    const audio = turn && turn.querySelector("audio");
    if (!audio) return;
    e.preventDefault();
    chain = false;
    turn.scrollIntoView({block: "nearest"});
    playAt(audio, parseFloat(el.dataset.t) || 0);
  });
  audios.forEach((a, i) => {
    const words = [...a.closest(".turn").querySelectorAll(".text [data-t]")];
    a.addEventListener("play", () => only(a));
    a.addEventListener("ended", () => { if (chain && i + 1 < audios.length) playAt(audios[i + 1], 0); });
    a.addEventListener("timeupdate", () => {
      words.forEach(w => w.classList.remove("now"));
      const at = words.filter(w => parseFloat(w.dataset.t) <= a.currentTime).pop();
      if (at && !a.paused) at.classList.add("now");
    });
  });
})();
"""


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


# Nothing may load from the network; the only script that may run is SCRIPT above (by its hash).
BASE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src data: file: 'self'"
CSP = f"{BASE_CSP}; script-src {script_hash(SCRIPT)}"
