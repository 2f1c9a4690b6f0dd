#!/usr/bin/python3
"""Opens the HTML report in headless Chromium (Debian's chromium) the way an admin would.

Writes the bundled example's report (with one waiver) to WORK_DIR/report.html, has
Chromium render it to WORK_DIR/report.png and dump the DOM it built, and checks both:
the screenshot is a real PNG of the requested size, and the rendered page holds the
sections the writer promises. Look at report.png after a change to the page's design.
Usage: html_screenshot.py SOURCE_DIR SMBAUDIT_BINARY WORK_DIR
"""
import pathlib
import shutil
import struct
import subprocess
import sys

WIDTH, HEIGHT = 1280, 1600


def main() -> int:
    source, binary, work = (pathlib.Path(a).resolve() for a in sys.argv[1:4])
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium is not installed: run scripts/setup.sh (it installs Debian's chromium)")
        return 1
    work.mkdir(parents=True, exist_ok=True)
    waivers = work / "waivers.json"
    waivers.write_text('{"schema": "smbaudit-waivers/1", "waivers": [{"rule": "minimum-password-length", '
                       '"justification": "Local accounts are disabled on this image.", "expires": "2099-12-31"}]}')
    html = work / "report.html"
    png = work / "report.png"
    png.unlink(missing_ok=True)
    audit = subprocess.run([str(binary), "audit", "--facts", str(source / "examples" / "ws01-facts.json"),
                            "--waivers", str(waivers), "--output", str(html)], capture_output=True, text=True)
    if audit.returncode != 0:
        print(f"smbaudit exited {audit.returncode}: {audit.stderr}")
        return 1
    # No sandbox: CI runs as root in a container. The profile stays in the build tree.
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            f"--user-data-dir={work / 'chromium-profile'}", f"--window-size={WIDTH},{HEIGHT}"]
    shot = subprocess.run(base + [f"--screenshot={png}", html.as_uri()], capture_output=True, text=True, timeout=120)
    if shot.returncode != 0 or not png.exists():
        print(f"chromium failed ({shot.returncode}): {shot.stderr[-2000:]}")
        return 1
    data = png.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        print(f"{png} is not a PNG")
        return 1
    width, height = struct.unpack(">II", data[16:24])
    problems = []
    if (width, height) != (WIDTH, HEIGHT):
        problems.append(f"screenshot is {width}x{height}, expected {WIDTH}x{HEIGHT}")
    if len(data) < 20_000:
        problems.append(f"screenshot is only {len(data)} bytes: the page looks empty")
    dom = subprocess.run(base + ["--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120).stdout
    for expected in ("<h1>WS01", "Score by layer", "Needs attention (", "Waived (1)", "badge fail",
                     "badge waived", "minimum-password-length"):
        if expected not in dom:
            problems.append(f"the rendered page lacks {expected!r}")
    for p in problems:
        print(p)
    print(f"rendered {html} to {png} ({width}x{height}, {len(data)} bytes): {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
