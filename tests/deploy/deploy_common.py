"""What the deployment tests (run, lighttpd-cgi) share: a small site in six
languages with documents in English and French, checks that print as they
go, a free loopback port, and a keep-alive HTTP client."""
import http.client
import os
import socket

HERE = os.path.dirname(os.path.abspath(__file__))
DEPLOY = os.path.join(HERE, "..", "..", "deploy")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


SITE = {
    "site.yaml": "title: { en: Deploy test, fr: Essai de déploiement }\n"
                 "languages: [en, fr, es, ar, ru, zh]\n",
    "content/countries/denmark.yaml": "iso: DK\nstatus: state-party\n",
    "content/meetings/msp22/meeting.yaml":
        "kind: msp\ntitle: { en: Twenty-Second Meeting }\nstart: 2025-12-01\nend: 2025-12-05\n",
    "content/meetings/msp22/report.en.md":
        "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Final report\ndate: 2025-12-05\n"
        "type: final-report\n---\nDenmark reported on stockpile destruction.\n",
    "content/meetings/msp22/report.fr.md":
        "---\nsymbol: APLC/MSP.22/2025/5\ntitle: Rapport final\ndate: 2025-12-05\n"
        "type: final-report\n---\nLe Danemark a fait rapport sur la destruction des stocks.\n",
    "content/pages/about.en.md": "---\ntitle: About\n---\nAbout the Convention.\n",
}


class Client:
    """One keep-alive connection to nginx."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def get(self, path):
        for attempt in range(2):
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                return r.status, dict(r.getheaders()), r.read().decode("utf-8", "replace")
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                if attempt:
                    raise
