# syntax=docker/dockerfile:1
#
# alertd container image.
#
#   docker build -t alertd .
#   docker run --rm -p 8080:8080 alertd                     # the demo tenants in /etc/alertd/tenants
#   docker run --rm alertd router --kafka-brokers kafka:9092 --database-url postgres://...
#
# The build stage compiles against Debian 12's librdkafka-dev (2.0.2); the runtime stage
# installs librdkafka >= 2.2 from Confluent's client repository, because 2.0.2 cannot read
# the ApiVersions reply of some brokers (README, Kafka). Debian 12 and bookworm-backports
# have nothing newer than 2.0.2. The newer library exports every symbol of the older one.

FROM swift:6.3-bookworm AS build

# Distribution packages are not pinned: the build takes the current security updates.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librdkafka-dev libsqlite3-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Dependencies first, so that a source change does not fetch them again.
COPY Package.* ./
RUN if [ -f Package.resolved ]; then swift package resolve --force-resolved-versions; else swift package resolve; fi

COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product alertd \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/alertd" /staging/alertd \
    && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/swift-backtrace-static


FROM debian:bookworm-slim AS runtime

ARG LIBRDKAFKA_MIN_VERSION=2.2.0

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# ca-certificates: HTTPS to receivers and key sets; tzdata: time zones in logs; libsqlite3-0:
# the tenant stores.
# librdkafka1 from Confluent's repository (packages.confluent.io/clients/deb). Not pinned,
# as above; the build fails when the repository offers a librdkafka older than
# LIBRDKAFKA_MIN_VERSION.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates curl gnupg tzdata libstdc++6 libsqlite3-0 \
    && curl -fsSL https://packages.confluent.io/clients/deb/archive.key \
        | gpg --dearmor -o /usr/share/keyrings/confluent-clients.gpg \
    && echo "deb [signed-by=/usr/share/keyrings/confluent-clients.gpg] https://packages.confluent.io/clients/deb bookworm main" \
        > /etc/apt/sources.list.d/confluent-clients.list \
    && apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends librdkafka1 \
    && version="$(dpkg-query -W -f='${Version}' librdkafka1)" \
    && if dpkg --compare-versions "$version" lt "$LIBRDKAFKA_MIN_VERSION"; then \
           echo "librdkafka1 $version is older than $LIBRDKAFKA_MIN_VERSION" >&2; exit 1; \
       fi \
    && apt-get purge -y --auto-remove curl gnupg \
    && rm -rf /var/lib/apt/lists/*

# A fixed numeric user, so that Kubernetes can check runAsNonRoot.
RUN groupadd --system --gid 10001 alertd \
    && useradd --system --uid 10001 --gid alertd --home-dir /var/lib/alertd --shell /usr/sbin/nologin alertd \
    && mkdir -p /var/lib/alertd /etc/alertd \
    && chown alertd:alertd /var/lib/alertd

COPY --from=build /staging/alertd /usr/local/bin/alertd
COPY --from=build /staging/swift-backtrace-static /usr/local/libexec/swift-backtrace-static
# The demo tenants, so that the image runs as is; deployments mount their own.
COPY tenants /etc/alertd/tenants

# Listen on all interfaces (alertd's default is 127.0.0.1); keep SQLite files, when no
# --database-url is given, in the user's writable directory.
ENV ALERTD_HOST=0.0.0.0 \
    ALERTD_DATA_DIR=/var/lib/alertd \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/usr/local/libexec/swift-backtrace-static

USER 10001:10001
WORKDIR /var/lib/alertd

# 8080: `alertd serve` (API, /healthz, /readyz, /metrics); 8081: `alertd router` (/healthz, /readyz, /metrics).
EXPOSE 8080 8081

ENTRYPOINT ["alertd"]
CMD ["serve", "--tenants", "/etc/alertd/tenants"]
