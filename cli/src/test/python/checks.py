"""The tally the check_*.py scripts keep: each check passes or fails with a description; report() prints up to 20
failures and 'N passed, M failed', the line the Java tests read, and gives the exit status (1 on any failure)."""


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.problems = []

    def __call__(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.problems.append(what)

    def report(self):
        for p in self.problems[:20]:
            print("FAILED:", p)
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
