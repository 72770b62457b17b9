#!/usr/bin/env python3
"""Generates a realistic synthetic history of alerts and operator behaviour for
`alertd rating evaluate --replay FILE.jsonl` (JSON Lines, one event per line, in time order).

    scripts/rating-history.py [--seed N] [--tenants N] [--alerts N] [--out FILE] [options]

Each line is one event; `time` is RFC 3339 UTC with `Z` in whole seconds, and lines are
sorted by time (for equal times an alert comes before its own follow-ups):

  {"time":"2026-01-05T10:00:00Z","kind":"alert","tenant":"acme","alert":"acme-000123",
   "labels":{"alertname":"DiskFull","service":"db","severity":"critical","team":"storage","env":"prod"},
   "source":"prom-eu1","truth":{"p":0.83,"actionable":true}}
  {"time":"2026-01-05T10:04:10Z","kind":"ack","tenant":"acme","alert":"acme-000123"}
  {"time":"2026-01-05T10:20:00Z","kind":"feedback","tenant":"acme","alert":"acme-000123","value":"actionable"}
  {"time":"2026-01-05T11:00:00Z","kind":"resolve","tenant":"acme","alert":"acme-000123"}
  {"time":"2026-01-05T10:02:00Z","kind":"silence","tenant":"acme","alert":"acme-000124"}

  kind     alert (an alert starts firing; `alert` is the id of this firing episode), ack,
           feedback (`value` actionable or noise), resolve, silence (silenced while firing)
  labels   always alertname, severity (critical, error, warning, info), service and env
           (prod, staging); team on most sources, instance on per-machine/pod/broker alerts
  source   the producer, e.g. prom-eu1
  truth    only on alert lines: `p`, the true probability the alert is actionable under this
           generator's model, and `actionable`, the sampled truth (true with probability p)

Every alert gets exactly one resolve; at most one ack and at most one feedback, neither
after the resolve, except a rare late ack after the resolve (--late-ack-rate). A label set
never fires twice at once: a firing that would overlap an earlier one of the same labels is
moved to another instance or replaced by another alert.

The model of the world, per tenant (each tenant has its own sources, services, alertnames
and operators):
  * --sources sources from reliable (most alerts actionable) to noisy (most not); noisy
    sources fire more. Within a source rules (alertname) differ, with an outlier now and
    then (a noisy rule in a good source, a good rule in a noisy source); services differ
    mildly; staging is less actionable than prod.
  * Severities lie: noisy sources call most things critical (--severity-loudness), a
    quarter of sources call everything warning, rules follow their own actionability only
    a little (--severity-honesty), and some alerts are graded by it (--severity-mix).
  * Operators ack actionable alerts within minutes (lognormal, median --ack-median, slower
    at night) with probability --ack-rate; noise is acked late (after the 15 min target)
    with probability --noise-late-ack, promptly now and then (--noise-quick-ack), else
    never; some noise is silenced (--silence-rate); --feedback-rate of alerts get explicit
    feedback, right with probability --feedback-accuracy.
  * Flapping: some noisy rules fire and resolve the same label set repeatedly within an
    hour. Storms: now and then a burst of one alertname on one service across instances,
    mostly one real incident (the first few actionable, the rest noise), else pure noise.
  * At --break-at of the span one reliable source per tenant breaks: from then on its
    alerts are noise (p about --break-p) and it fires --break-volume times as often.

Operators' rates and latencies vary a little per tenant around the option values. The
defaults are tuned so that across seeds the oracle AUC lands at about 0.87-0.90 and the
severity-only AUC at about 0.50-0.56 (seed 1 with --alerts 2800: 0.892 and 0.541).

At the end, summary statistics go to stderr: counts per tenant, share actionable, the
oracle AUC (ranking by truth.p) and the severity-only AUC (critical>error>warning>info),
and which source breaks when. Deterministic for a given --seed. Python 3.8+, stdlib only.
"""

import argparse
import datetime as dt
import json
import math
import random
import sys

SEVERITIES = ["info", "warning", "error", "critical"]
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
TENANT_NAMES = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"]
REGIONS = ["eu1", "eu2", "us1", "us2", "ap1", "dc2"]

# Producer families: the kinds of alerts they fire, whether their alerts carry team and env
# labels, and how they tend to behave.
FAMILIES = {
    "prom": (["node", "http", "db", "k8s", "queue", "cron"], True),
    "node-exporter": (["node"], True),
    "blackbox": (["synthetic"], True),
    "cloudwatch": (["node", "db", "queue", "cost"], True),
    "datadog": (["http", "node", "db"], True),
    "loki": (["logs"], True),
    "elastalert": (["logs"], False),
    "k8s-events": (["k8s"], True),
    "kube-state": (["k8s"], True),
    "pingdom": (["synthetic"], False),
    "sentry": (["logs", "http"], True),
    "nagios": (["node", "network"], False),
    "zabbix": (["node", "network", "db"], False),
    "grafana": (["http", "db", "queue"], True),
    "stackdriver": (["node", "db", "cost"], True),
    "statuscake": (["synthetic"], False),
    "newrelic": (["http", "db"], True),
    "postgres-exporter": (["db"], True),
    "kafka-exporter": (["queue"], True),
    "redis-exporter": (["queue"], True),
    "snmp-exporter": (["network"], False),
    "cron-monitor": (["cron"], True),
}

ALERTNAMES = {
    "node": ["HighCPUUsage", "DiskFull", "DiskWillFillIn4Hours", "MemoryPressure", "NodeDown", "ClockSkewDetected",
             "HighLoadAverage", "FilesystemReadOnly", "InodesExhausted"],
    "http": ["HighErrorRate", "HighLatencyP99", "EndpointDown", "ApdexLow", "Http5xxSpike", "UpstreamTimeouts"],
    "synthetic": ["ProbeFailed", "SSLCertExpiringSoon", "DNSResolutionFailed", "ProbeSlow", "HTTPStatusNot200"],
    "db": ["ReplicationLag", "ConnectionPoolExhausted", "SlowQueries", "DeadlocksDetected", "BackupFailed",
           "TooManyConnections", "WALArchiveFailing"],
    "k8s": ["KubePodCrashLooping", "KubeDeploymentReplicasMismatch", "KubeJobFailed", "KubePersistentVolumeFillingUp",
            "ContainerOOMKilled", "KubeHpaMaxedOut", "KubePodNotReady", "KubeNodeNotReady", "CPUThrottlingHigh"],
    "queue": ["KafkaConsumerLag", "QueueBacklogGrowing", "DeadLetterQueueNotEmpty", "RedisMemoryHigh",
              "RedisReplicationBroken", "KafkaUnderReplicatedPartitions"],
    "logs": ["ErrorLogBurst", "ExceptionRateHigh", "PanicInLogs", "AuthFailuresSpike", "LogIngestionStalled"],
    "cost": ["BudgetExceeded", "UnusualSpend", "ReservedCapacityExpiring"],
    "network": ["InterfaceErrors", "PacketLossHigh", "BGPSessionDown", "LinkFlapping"],
    "cron": ["CronJobMissed", "CronJobFailed", "BatchJobDurationHigh"],
}
# Categories whose alerts are about one machine, pod or broker, so carry an instance label.
INSTANCE_CATEGORIES = {"node": 9100, "db": 9187, "k8s": None, "queue": 9308, "network": 161}

SERVICES = [
    ("api", "platform"), ("checkout", "payments"), ("payments", "payments"), ("db", "storage"), ("search", "data"),
    ("auth", "identity"), ("billing", "payments"), ("web", "web"), ("queue", "platform"), ("ingest", "data"),
    ("reporting", "data"), ("notifications", "web"), ("cdn", "web"), ("cache", "storage"), ("scheduler", "sre"),
    ("ml-serving", "data"), ("gateway", "platform"), ("inventory", "storage"),
]


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def logit(p):
    p = min(1 - 1e-9, max(1e-9, p))
    return math.log(p / (1 - p))


def auc(scores, labels):
    """Area under the ROC curve (Mann-Whitney, ties counted half)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    rank_sum = sum(rank for rank, label in zip(ranks, labels) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def weighted_choice(rng, items, weights):
    total = sum(weights)
    x = rng.random() * total
    for item, weight in zip(items, weights):
        x -= weight
        if x < 0:
            return item
    return items[-1]


def lognormal_minutes(rng, median, sigma):
    return median * math.exp(rng.gauss(0, sigma)) * 60


# MARK: - The world


class Rule:
    """One alerting rule of a source: an alertname on a few services."""

    def __init__(self, source, alertname, category):
        self.source = source
        self.alertname = alertname
        self.category = category
        self.offset = 0.0          # logit offset from the source
        self.absolute = None       # logit that replaces source + offset (an outlier rule)
        self.services = []
        self.severity = "warning"
        self.tiered = False        # fires as warning, or as critical past a higher threshold
        self.flappy = False
        self.weight = 1.0

    def logit(self, broken):
        if broken:
            return self.source.broken_logit + 0.3 * self.offset
        if self.absolute is not None:
            return self.absolute
        return self.source.logit + self.offset


class Source:
    def __init__(self, name, family):
        self.name = name
        self.family = family
        self.logit = 0.0
        self.kind = "middling"
        self.weight = 1.0
        self.style = "graded"
        self.loudness = 0.0
        self.staging = 0.1
        self.rules = []
        self.breaks_at = None      # seconds into the span
        self.broken_logit = None
        self.break_volume = 1.0
        self.labels_team = True


class Tenant:
    """A tenant's world: its sources, rules, services and operators."""

    def __init__(self, name, index, args, span):
        self.name = name
        rng = random.Random(f"{args.seed}:world:{name}")
        self.rng = rng
        self.span = span
        # Operators differ per tenant.
        self.ack_rate = min(0.98, max(0.5, args.ack_rate + rng.uniform(-0.04, 0.04)))
        self.ack_median = args.ack_median * rng.uniform(0.8, 1.2)
        self.noise_late_ack = min(0.9, max(0.0, args.noise_late_ack * rng.uniform(0.75, 1.25)))
        self.noise_quick_ack = args.noise_quick_ack * rng.uniform(0.6, 1.4)
        self.feedback_rate = min(1.0, max(0.0, args.feedback_rate * rng.uniform(0.9, 1.1)))
        self.silence_rate = args.silence_rate * rng.uniform(0.7, 1.3)
        self.utc_offset = [0, 1, -5, 8, -8, 2, 5, 9][index % 8]
        self.replaced = 0  # firings replaced because their labels were still firing

        services = rng.sample(SERVICES, min(len(SERVICES), rng.randint(9, 14)))
        self.services = [(svc, team, rng.gauss(0, args.service_spread)) for svc, team in services]
        self.instances = {svc: rng.randint(2, 12) for svc, _, _ in self.services}

        candidates = []
        families = list(FAMILIES)
        rng.shuffle(families)
        for family in families:
            regions = rng.sample(REGIONS, 3 if family == "prom" else 1)
            candidates += [f"{family}-{region}" for region in regions]
        while len(candidates) < args.sources:
            candidates.append(f"{rng.choice(families)}-{len(candidates)}")
        self.sources = []
        for name_ in candidates[: args.sources]:
            family = name_.rsplit("-", 1)[0] if name_.rsplit("-", 1)[0] in FAMILIES else "prom"
            self.sources.append(self.make_source(name_, family, args))

        # The breaking source: a reliable one of fair volume.
        self.broken = None
        if 0 < args.break_at < 1:
            def reliability(s):
                return sum(r.weight * sigmoid(r.logit(False)) for r in s.rules) / sum(r.weight for r in s.rules)

            reliable = [s for s in self.sources if reliability(s) >= 0.7] or sorted(self.sources, key=reliability)[-3:]
            broken = max(reliable, key=lambda s: s.weight)
            others = sum(s.weight for s in self.sources if s is not broken)
            if args.break_share > 0 and others > 0:
                broken.weight = others * args.break_share / (1 - args.break_share)
            broken.breaks_at = int(args.break_at * span)
            broken.broken_logit = logit(args.break_p)
            broken.break_volume = args.break_volume
            self.broken = broken

    def make_source(self, name, family, args):
        rng = self.rng
        source = Source(name, family)
        categories, has_team = FAMILIES[family]
        source.labels_team = has_team
        u = rng.random()
        if u < 0.3:
            source.kind, center = "reliable", rng.uniform(1.15, 2.3)
        elif u < 0.62:
            source.kind, center = "middling", rng.uniform(-1.05, 0.5)
        else:
            source.kind, center = "noisy", rng.uniform(-3.15, -1.75)
        source.logit = center * args.spread
        # Noisy sources fire more.
        source.weight = math.exp(rng.gauss(0.5 if source.kind == "noisy" else 0.0, 0.6))
        source.staging = rng.choice([0.0, 0.05, 0.1, 0.2, 0.35])
        # Severity habits: flat sources call everything warning; the others grade their rules,
        # noisy ones loudly (most things critical).
        source.style = "flat" if rng.random() < 0.25 else "graded"
        source.loudness = args.severity_loudness * max(0.0, -center) + rng.gauss(0, 0.6)

        pool = []
        for category in categories:
            pool += [(alertname, category) for alertname in ALERTNAMES[category]]
        rng.shuffle(pool)
        for alertname, category in pool[: rng.randint(3, min(8, len(pool)))]:
            rule = Rule(source, alertname, category)
            rule.offset = rng.gauss(0, args.rule_spread)
            rule.weight = math.exp(rng.gauss(0, 0.7))
            rule.services = [svc for svc in rng.sample(self.services, rng.randint(1, 3))]
            source.rules.append(rule)
        # Outliers: a noisy rule in a good source, a good rule in a noisy source.
        if source.kind == "reliable" and rng.random() < args.outlier_rate:
            rule = rng.choice(source.rules)
            rule.absolute = rng.uniform(-2.6, -1.6) * args.spread
            rule.weight *= 1.5
        if source.kind == "noisy" and rng.random() < args.outlier_rate:
            rng.choice(source.rules).absolute = rng.uniform(1.05, 1.9) * args.spread
        for rule in source.rules:
            z = rule.logit(False)
            if source.style == "flat":
                rule.severity = weighted_choice(rng, SEVERITIES, [0.1, 0.75, 0.1, 0.05])
            else:
                rule.severity = grade(source.loudness + args.severity_honesty * z + rng.gauss(0, 0.8))
            rule.tiered = rule.category in ("node", "db", "queue", "http") and rng.random() < 0.3
            rule.flappy = z < logit(0.3) and rng.random() < args.flappy_rules
        return source

    def is_night(self, t):
        hour = ((t / 3600.0) + self.utc_offset) % 24
        return hour < 7 or hour >= 22

    def rate(self, t):
        """Relative alert rate at t seconds into the span: busier in working hours, quieter at weekends."""
        local = t / 3600.0 + self.utc_offset
        hour = local % 24
        day = int(local // 24) % 7  # the span starts on a Monday
        rate = 1.0 + 0.8 * math.exp(-((hour - 14) / 4.0) ** 2)
        return rate * (0.6 if day >= 5 else 1.0)

    def sample_time(self, rng):
        while True:
            t = rng.uniform(0, self.span)
            if rng.random() * 1.8 < self.rate(t):
                return int(t)

    def choose_rule(self, rng, t):
        sources = self.sources
        weights = [s.weight * (s.break_volume if s.breaks_at is not None and t >= s.breaks_at else 1.0) for s in sources]
        source = weighted_choice(rng, sources, weights)
        return weighted_choice(rng, source.rules, [r.weight for r in source.rules])


# MARK: - Alerts and what operators do with them


class Firing:
    def __init__(self, tenant, rule, labels, start, p, context, known, rule_offset):
        self.tenant = tenant
        self.rule = rule
        self.labels = labels
        self.start = start
        self.p = round(p, 4)
        self.known = known              # log-odds without the per-alert noise
        self.rule_offset = rule_offset  # the rule's own part of it, beyond its source's
        self.context = context  # "single", "flap", "storm"
        self.actionable = False
        self.events = []  # (seconds, order, kind, feedback value): what operators did
        self.id = None


def grade(level):
    return "critical" if level > 0.9 else "error" if level > 0.2 else "warning" if level > -0.8 else "info"


def labels_for(tenant, rule, rng, args):
    svc, team, _ = rng.choice(rule.services)
    labels = {"alertname": rule.alertname, "service": svc}
    severity = rule.severity
    if rule.tiered:
        severity = "critical" if rng.random() < 0.35 else "warning"
    elif rng.random() < args.severity_mix:
        # Whoever wrote this threshold graded it by how much it matters.
        severity = grade(0.8 * rule.logit(False) + rng.gauss(0, 0.7))
    elif rng.random() < 0.1:
        severity = rng.choice(SEVERITIES)
    labels["severity"] = severity
    if rule.source.labels_team:
        labels["team"] = team
    env = "staging" if rng.random() < rule.source.staging else "prod"
    labels["env"] = env
    if rule.category in INSTANCE_CATEGORIES:
        labels["instance"] = instance_name(tenant, rule, svc, rng)
    return labels


def instance_name(tenant, rule, svc, rng):
    n = rng.randint(1, tenant.instances[svc])
    port = INSTANCE_CATEGORIES[rule.category]
    if port is None:
        return f"{svc}-{'%05x' % (hash_str(f'{tenant.name}{svc}{n}') & 0xFFFFF)}"
    return f"{svc}-{n}:{port}"


def hash_str(text):
    h = 2166136261
    for ch in text.encode():
        h = ((h ^ ch) * 16777619) & 0xFFFFFFFF
    return h


def truth_logit(tenant, rule, labels, t, rng, args):
    """(log-odds with the per-alert noise, the same without it, the rule's own offset from
    its source's log-odds)."""
    broken = rule.source.breaks_at is not None and t >= rule.source.breaks_at
    z = rule.logit(broken)
    rule_offset = z - (rule.source.broken_logit if broken else rule.source.logit)
    z += next(off for svc, _, off in tenant.services if svc == labels["service"])
    if labels.get("env") == "staging":
        z -= args.staging_penalty
    if rule.tiered:
        z += 0.5 if labels["severity"] == "critical" else -0.3
    return z + rng.gauss(0, args.alert_noise), z, rule_offset


def episodes(tenant, args, rng):
    """The tenant's firings, in no particular order."""
    firings = []
    # A Poisson number of storms, of 4 alerts plus an exponential number more.
    expected_storms = args.storms_per_week * tenant.span / (7 * 86400)
    limit, n_storms, prod = math.exp(-expected_storms), 0, rng.random()
    while prod > limit:
        n_storms += 1
        prod *= rng.random()
    storm_sizes = [4 + int(rng.expovariate(1.0 / max(1.0, args.storm_size - 3.5))) for _ in range(n_storms)]
    while sum(storm_sizes) > args.alerts // 10 and storm_sizes:
        storm_sizes.pop()
    # A storm is one alertname on one service across its instances.
    candidates = [r for s in tenant.sources for r in s.rules if r.category in INSTANCE_CATEGORIES]
    if not candidates:
        storm_sizes = []
    budget = args.alerts - sum(storm_sizes)

    for size in storm_sizes:
        t0 = tenant.sample_time(rng)
        rule = weighted_choice(rng, candidates, [r.weight * r.source.weight for r in candidates])
        svc, team, _ = rng.choice(rule.services)
        incident = rng.random() < args.storm_incident_share
        severity = "critical" if rng.random() < 0.6 else rule.severity
        real = rng.randint(1, 3) if incident else 0
        t = t0
        for i in range(size):
            labels = {"alertname": rule.alertname, "service": svc, "severity": severity}
            if rule.source.labels_team:
                labels["team"] = team
            labels["env"] = "prod"
            port = INSTANCE_CATEGORIES[rule.category]
            labels["instance"] = f"{svc}-{i + 1}:{port}" if port else f"{svc}-{'%05x' % (hash_str(f'{tenant.name}{svc}s{i}') & 0xFFFFF)}"
            z = 2.2 if i < real else (-2.2 if incident else -3.2)
            p = sigmoid(z + rng.gauss(0, 0.4))
            f = Firing(tenant, rule, labels, t, p, "storm", known=z, rule_offset=0.0)
            f.storm_incident = incident
            firings.append(f)
            t += int(rng.expovariate(size / (rng.uniform(2, 10) * 60))) + 1

    flappy = [r for s in tenant.sources for r in s.rules if r.flappy]
    # Chance a draw is a flapping series (4.5 firings on average) so that about
    # --flap-share of the alerts flap.
    flap_chance = args.flap_share / (4.5 - 3.5 * args.flap_share) if flappy and args.flap_share < 1 else 0.0
    count = 0
    while count < budget:
        t = tenant.sample_time(rng)
        if rng.random() < flap_chance:
            rule = weighted_choice(rng, flappy, [r.weight * r.source.weight for r in flappy])
            labels = labels_for(tenant, rule, rng, args)
            n = min(budget - count, rng.randint(3, 6))
            silence_from = rng.randint(2, 4) if rng.random() < args.flap_silence else None
            for i in range(n):
                penalty = args.flap_penalty if i > 0 else 0
                z, known, rule_offset = truth_logit(tenant, rule, labels, t, rng, args)
                f = Firing(tenant, rule, dict(labels), t, sigmoid(z - penalty), "flap", known=known - penalty, rule_offset=rule_offset)
                f.flap_index = i
                f.flap_silenced = silence_from is not None and i + 1 >= silence_from
                f.duration = int(rng.uniform(1, 5) * 60)
                firings.append(f)
                t += f.duration + int(rng.uniform(1, 4) * 60)
            count += n
        else:
            firings.append(single(tenant, args, rng, t))
            count += 1
    return firings


def single(tenant, args, rng, t):
    """One ordinary firing at t."""
    rule = tenant.choose_rule(rng, t)
    labels = labels_for(tenant, rule, rng, args)
    z, known, rule_offset = truth_logit(tenant, rule, labels, t, rng, args)
    return Firing(tenant, rule, labels, t, sigmoid(z), "single", known=known, rule_offset=rule_offset)


def fingerprint(f):
    return (f.rule.source.name, tuple(sorted(f.labels.items())))


def schedule(tenant, firings, args, rng, ops):
    """The firings that can happen: one label set fires at most once at a time, so a firing
    that would overlap an earlier one of the same labels moves to another instance if it has
    one, or else is replaced by an ordinary firing elsewhere; operators act on each (ops)."""
    firing = {}  # fingerprint -> [(start, end)]
    accepted = []

    def fits(f):
        key = fingerprint(f)
        return all(end <= f.start or f.start + f.duration <= start for start, end in firing.get(key, ()))

    queue = sorted(firings, key=lambda f: f.start)
    while len(accepted) < args.alerts:
        if not queue:
            queue = [single(tenant, args, rng, tenant.sample_time(rng)) for _ in range(args.alerts - len(accepted))]
            queue.sort(key=lambda f: f.start)
        f = queue.pop(0)
        f.events = operate(f, tenant, args, ops)
        f.duration = next(t for t, _, kind, _ in f.events if kind == "resolve") - f.start
        if not fits(f) and f.context == "single" and "instance" in f.labels:
            for _ in range(3):
                f.labels["instance"] = instance_name(tenant, f.rule, f.labels["service"], rng)
                if fits(f):
                    break
        if fits(f):
            firing.setdefault(fingerprint(f), []).append((f.start, f.start + f.duration))
            accepted.append(f)
        else:
            tenant.replaced += 1
            if tenant.replaced > 10 * args.alerts:
                sys.exit(f"rating-history: {tenant.name}'s label sets cannot fire {args.alerts} times in {args.days:g} days; "
                         "use more --sources or --days, or fewer --alerts")
    return accepted


def operate(f, tenant, args, rng):
    """What operators do with firing f: its follow-up events, as (seconds, order, kind, extra)."""
    f.actionable = rng.random() < f.p
    night = tenant.is_night(f.start)
    ack = None
    silence = None
    # How long it fires, unless someone acts.
    if f.context == "flap":
        duration = f.duration
    elif f.context == "storm":
        duration = lognormal_minutes(rng, 40 if f.storm_incident else 8, 0.6)
    elif f.actionable:
        duration = lognormal_minutes(rng, 35, 1.0)
    else:
        duration = lognormal_minutes(rng, 15, 1.3)
    if f.rule.category == "cost" or f.labels["severity"] == "info":
        duration = min(duration * rng.choice([1, 1, 3, 10]), 4 * 86400)  # slow-burning alerts linger

    flap = f.context == "flap"  # a flapping firing lasts what it lasts
    if f.actionable:
        if rng.random() < tenant.ack_rate:
            ack = lognormal_minutes(rng, tenant.ack_median * (1.3 if night else 1.0), 0.8)
            if not flap:
                duration = max(duration, ack + lognormal_minutes(rng, 30, 0.9))  # fixed after someone looked
        elif rng.random() < 0.01:
            silence = rng.uniform(0.1, 0.6) * duration  # silenced for maintenance
    else:
        silenced = (f.context == "flap" and f.flap_silenced) or rng.random() < tenant.silence_rate
        if silenced:
            silence = min(duration * rng.uniform(0.1, 0.7), lognormal_minutes(rng, 6, 0.7))
            if f.context == "flap":
                silence = min(duration * 0.5, rng.uniform(5, 60))
        else:
            u = rng.random()
            if u < tenant.noise_late_ack:
                ack = 15 * 60 + lognormal_minutes(rng, 20, 1.0)
            elif u < tenant.noise_late_ack + tenant.noise_quick_ack:
                ack = lognormal_minutes(rng, tenant.ack_median * 1.5, 0.6)
            if ack is not None and not flap:
                duration = max(duration, ack + lognormal_minutes(rng, 5, 0.8))
    duration = max(60, int(duration))
    if flap and ack is not None and ack >= duration - 2:
        ack = None  # it stopped before anyone looked
    if ack is not None:
        ack = max(1, min(int(ack), duration - 2))
    late_ack = None
    if ack is None and silence is None and rng.random() < args.late_ack_rate:
        late_ack = duration + int(lognormal_minutes(rng, 12, 0.7)) + 1

    events = []
    if silence is not None:
        events.append((max(1, min(int(silence), duration - 2)), 1, "silence", None))
    if ack is not None:
        events.append((ack, 2, "ack", None))
    if rng.random() < tenant.feedback_rate:
        correct = rng.random() < args.feedback_accuracy
        value = "actionable" if f.actionable == correct else "noise"
        after = ack if ack is not None else (silence if silence is not None else 0)
        after = int(after)
        # Shortly after the ack, or just before it resolves if nobody acked.
        if ack is not None:
            when = after + int(lognormal_minutes(rng, 6, 0.8))
        else:
            when = duration - int(lognormal_minutes(rng, 2, 0.8))
        when = max(after + 1, min(when, duration - 1))
        events.append((when, 3, "feedback", value))
    events.append((duration, 4, "resolve", None))
    if late_ack is not None:
        events.append((late_ack, 5, "ack", None))
    return [(f.start + t, order, kind, extra) for t, order, kind, extra in events]


# MARK: - Output


def rfc3339(start, seconds):
    return (start + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    class Formatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
        pass

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=Formatter)
    g = parser.add_argument_group("output")
    g.add_argument("--out", default="-", help="JSON Lines file to write, - for stdout")
    g.add_argument("--seed", type=int, default=1, help="random seed; the same seed and options give the same file")
    g.add_argument("--truth-detail", action="store_true",
                   help="also write truth.z (the log-odds without the per-alert noise) and truth.rule_offset (the rule's own "
                        "part of it), for bench/rating-ceiling.py; the history is otherwise the same")
    g = parser.add_argument_group("volume and span")
    g.add_argument("--tenants", type=int, default=3, help="number of tenants (acme, globex, initech, umbrella, ...)")
    g.add_argument("--alerts", type=int, default=4000, help="alerts (firing episodes) per tenant, storms and flaps included")
    g.add_argument("--days", type=float, default=21, help="time span in days")
    g.add_argument("--start", default="2026-01-05T00:00:00Z", help="start of the span (RFC 3339 UTC; a Monday)")
    g = parser.add_argument_group("sources, rules and services")
    g.add_argument("--sources", type=int, default=20, help="sources per tenant, from reliable to noisy")
    g.add_argument("--spread", type=float, default=1.0, help="scale of source and outlier-rule log-odds; higher separates sources more")
    g.add_argument("--rule-spread", type=float, default=0.8, help="std. dev. of a rule's log-odds around its source")
    g.add_argument("--outlier-rate", type=float, default=0.7,
                   help="chance a reliable source has one noisy rule, and a noisy source one good rule")
    g.add_argument("--service-spread", type=float, default=0.3, help="std. dev. of a service's log-odds offset")
    g.add_argument("--staging-penalty", type=float, default=1.0, help="log-odds lost by alerts from env=staging")
    g.add_argument("--alert-noise", type=float, default=0.5,
                   help="std. dev. of per-alert log-odds noise (in truth.p, invisible in the labels)")
    g.add_argument("--severity-honesty", type=float, default=0.1,
                   help="how closely a rule's severity follows its log-odds of being actionable")
    g.add_argument("--severity-loudness", type=float, default=1.1,
                   help="how much louder (more critical) noisy sources grade their rules; a quarter of sources call everything warning")
    g.add_argument("--severity-mix", type=float, default=0.3,
                   help="share of alerts whose severity is graded by the rule's log-odds rather than the source's habit")
    g = parser.add_argument_group("operators")
    g.add_argument("--ack-rate", type=float, default=0.85, help="chance an actionable alert is acked")
    g.add_argument("--ack-median", type=float, default=4.0, help="median minutes to ack an actionable alert (lognormal; slower at night)")
    g.add_argument("--noise-late-ack", type=float, default=0.2, help="chance noise is acked late (after the 15 min target)")
    g.add_argument("--noise-quick-ack", type=float, default=0.05, help="chance noise is acked within minutes anyway")
    g.add_argument("--silence-rate", type=float, default=0.06, help="chance noise is silenced while firing")
    g.add_argument("--feedback-rate", type=float, default=0.5, help="share of alerts with explicit feedback")
    g.add_argument("--feedback-accuracy", type=float, default=0.95, help="chance explicit feedback is right")
    g.add_argument("--late-ack-rate", type=float, default=0.01,
                   help="chance an alert nobody acked or silenced is acked after it resolved")
    g = parser.add_argument_group("flapping and storms")
    g.add_argument("--flappy-rules", type=float, default=0.35, help="share of noisy rules (p < 0.3) that flap now and then")
    g.add_argument("--flap-share", type=float, default=0.1,
                   help="share of alerts that belong to a flapping series (3-6 firings of one label set within an hour)")
    g.add_argument("--flap-penalty", type=float, default=1.0, help="log-odds lost by the repeats of a flapping series")
    g.add_argument("--flap-silence", type=float, default=0.3, help="chance operators silence a flapping series from its 2nd-4th firing on")
    g.add_argument("--storms-per-week", type=float, default=2.0, help="storms per tenant per week")
    g.add_argument("--storm-size", type=float, default=18, help="mean alerts in a storm")
    g.add_argument("--storm-incident-share", type=float, default=0.7,
                   help="share of storms that are one real incident (first 1-3 alerts actionable, the rest noise); the others are all noise")
    g = parser.add_argument_group("a breaking source")
    g.add_argument("--break-at", type=float, default=0.5,
                   help="fraction of the span at which one reliable source per tenant breaks; 0 for none")
    g.add_argument("--break-p", type=float, default=0.1, help="P(actionable) of the broken source's alerts after the break")
    g.add_argument("--break-share", type=float, default=0.06,
                   help="share of the tenant's alerts the breaking source emits before the break; 0 keeps its natural volume")
    g.add_argument("--break-volume", type=float, default=1.5, help="factor on the broken source's volume after the break")
    args = parser.parse_args()
    if not 0 <= args.break_share < 1:
        parser.error("--break-share must be in [0, 1)")
    if args.tenants < 1 or args.alerts < 1 or args.sources < 1:
        parser.error("--tenants, --alerts and --sources must be positive")

    start = dt.datetime.strptime(args.start, "%Y-%m-%dT%H:%M:%SZ")
    span = int(args.days * 86400)
    names = [TENANT_NAMES[i] if i < len(TENANT_NAMES) else f"tenant-{i + 1}" for i in range(args.tenants)]

    all_firings = []
    tenants = []
    for index, name in enumerate(names):
        tenant = Tenant(name, index, args, span)
        tenants.append(tenant)
        rng = random.Random(f"{args.seed}:alerts:{name}")
        ops = random.Random(f"{args.seed}:operators:{name}")
        firings = schedule(tenant, episodes(tenant, args, rng), args, rng, ops)
        firings.sort(key=lambda f: f.start)
        for n, f in enumerate(firings, 1):
            f.id = f"{name}-{n:06d}"
        all_firings += firings

    all_firings.sort(key=lambda f: (f.start, f.tenant.name, f.id))
    lines = []
    for order, f in enumerate(all_firings):
        truth = {"p": f.p, "actionable": f.actionable}
        if args.truth_detail:
            truth.update({"z": round(f.known, 4), "rule_offset": round(f.rule_offset, 4)})
        record = {"time": rfc3339(start, f.start), "kind": "alert", "tenant": f.tenant.name, "alert": f.id,
                  "labels": f.labels, "source": f.rule.source.name, "truth": truth}
        lines.append((f.start, order, 0, record))
        for t, sub, kind, extra in f.events:
            record = {"time": rfc3339(start, t), "kind": kind, "tenant": f.tenant.name, "alert": f.id}
            if kind == "feedback":
                record["value"] = extra
            lines.append((t, order, sub, record))
    lines.sort(key=lambda line: line[:3])

    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    try:
        for _, _, _, record in lines:
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()

    summarize(all_firings, tenants, start, args)


def summarize(firings, tenants, start, args):
    def line(text=""):
        print(text, file=sys.stderr)

    def stats(fs):
        kinds = {}
        for f in fs:
            resolve = next(t for t, _, kind, _ in f.events if kind == "resolve")
            for t, _, kind, _ in f.events:
                if kind == "ack":
                    latency = t - f.start
                    key = "ack after resolve" if t > resolve else "ack in time" if latency <= 900 else "ack late"
                    kinds[key] = kinds.get(key, 0) + 1
                elif kind != "resolve":
                    kinds[kind] = kinds.get(kind, 0) + 1
        return kinds

    def describe(label, fs, replaced):
        if not fs:
            return
        labels = [f.actionable for f in fs]
        oracle = auc([f.p for f in fs], labels)
        severity = auc([SEVERITY_RANK[f.labels["severity"]] for f in fs], labels)
        kinds = stats(fs)
        n = len(fs)
        flaps = sum(1 for f in fs if f.context == "flap")
        storms = sum(1 for f in fs if f.context == "storm")
        line(f"{label:<10} alerts {n:5d}  actionable {sum(labels) / n:5.1%}  oracle AUC {oracle:.3f}  severity AUC {severity:.3f}")
        line(f"{'':<10} acks in time {kinds.get('ack in time', 0)}, late {kinds.get('ack late', 0)}, "
             f"after resolve {kinds.get('ack after resolve', 0)} ({kinds.get('ack after resolve', 0) / n:.1%}); "
             f"feedback {kinds.get('feedback', 0)} ({kinds.get('feedback', 0) / n:.0%}); silences {kinds.get('silence', 0)}; "
             f"flapping {flaps}; in storms {storms}")
        line(f"{'':<10} replaced {replaced} firing(s) whose labels were still firing")

    line(f"rating-history: seed {args.seed}, {len(tenants)} tenant(s), {args.days:g} days from {args.start}")
    for tenant in tenants:
        describe(tenant.name, [f for f in firings if f.tenant is tenant], tenant.replaced)
    if len(tenants) > 1:
        describe("all", firings, sum(t.replaced for t in tenants))
    feedback = [(f, extra) for f in firings for _, _, kind, extra in f.events if kind == "feedback"]
    if feedback:
        right = sum(1 for f, value in feedback if (value == "actionable") == f.actionable)
        line(f"feedback right {right / len(feedback):.1%}")
    for tenant in tenants:
        s = tenant.broken
        if s is None:
            continue
        mine = [f for f in firings if f.tenant is tenant and f.context != "storm" and f.rule.source is s]
        before = [f for f in mine if f.start < s.breaks_at]
        after = [f for f in mine if f.start >= s.breaks_at]
        share = len(mine) / max(1, sum(1 for f in firings if f.tenant is tenant))

        def mean_p(fs):
            return sum(f.p for f in fs) / len(fs) if fs else float("nan")

        line(f"break: {tenant.name} source {s.name} breaks at {rfc3339(start, s.breaks_at)}: "
             f"{len(before)} alerts before (mean p {mean_p(before):.2f}), {len(after)} after (mean p {mean_p(after):.2f}); "
             f"{share:.1%} of the tenant's alerts")


if __name__ == "__main__":
    main()
