"""Creates N oauth2 connectors through the API, over 4 keep-alive connections.

Usage: python3 load.py BASE_URL TOKEN COUNT MANIFEST
  BASE_URL  e.g. http://127.0.0.1:3001
  MANIFEST  fixtures/oauth2/manifest.json (its sampleConfig is every connector's config)

Connector i gets id "c%05d" and metadata.target "t%05d". Every answer must be 200;
otherwise the script stops with an error. Prints the elapsed seconds (first request
to last answer) on stdout.
"""

import http.client
import json
import sys
import threading
import time
import urllib.parse

THREADS = 4


def main():
    base, token, count, manifest = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with open(manifest) as file:
        config = json.load(file)["sampleConfig"]
    url = urllib.parse.urlsplit(base)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    bodies = [
        json.dumps(
            {
                "id": f"c{i:05d}",
                "connectorId": "oauth2",
                "metadata": {"target": f"t{i:05d}"},
                "config": config,
            }
        )
        for i in range(count)
    ]
    failures = []

    def worker(first):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        try:
            # Thread k sends bodies k, k + THREADS, k + 2 * THREADS, ...
            for body in bodies[first::THREADS]:
                connection.request("POST", "/api/connectors", body, headers)
                answer = connection.getresponse()
                text = answer.read()
                if answer.status != 200:
                    failures.append(f"answered {answer.status}: {text[:300]!r}")
                    return
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"failed: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failures:
        sys.exit(f"load.py: POST /api/connectors {failures[0]}")
    print(f"{elapsed:.2f}")


if __name__ == "__main__":
    main()
