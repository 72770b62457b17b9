"""The Kafka anchor of bench/compare: what the broker takes from one client that keeps as many
records in flight as wrk keeps requests, each record shaped as alertd's (an alert's JSON keyed
by its fingerprint, 1,000 rotating alerts) and produced as alertd produces (idempotent,
acks=all, the same linger), while a consumer reads them back and commits its offsets in the
group `<topic>.readers`, as alertd's router does (`--no-consumer` leaves it out). It answers
"how fast is the broker alone at this?"; a record counts once the broker acknowledged it.

    python kafka-producer.py --brokers HOST:PORT --topic T --in-flight 32 --seconds 10 --linger-ms 2

Prints the RESULT line of bench/load.lua: records, seconds, records/s, p50 and p99 of the
time from produce to acknowledgement in ms, then failed deliveries and four zeros.
"""
import argparse
import json
import multiprocessing
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def alert(n):
    return json.dumps({
        "name": "HighLatency", "source": "bench",
        "labels": {"alertname": "HighLatency", "service": "checkout", "instance": f"host-{n:04d}", "severity": "critical"},
        "annotations": {"summary": "p99 latency above 2s", "runbook": "https://runbooks.example/latency"},
        "startsAt": 786_000_000.0 + n, "fingerprint": f"{n:016x}",
    }).encode()


def consume(brokers, topic, stop):
    """Reads every partition of the topic from the group's committed offsets until `stop` is
    set and commits what it read, as alertd's router does. The partitions are assigned, not
    subscribed: the test broker can leave a group's new member without partitions."""
    consumer = Consumer({
        "bootstrap.servers": brokers, "group.id": f"{topic}.readers", "enable.auto.commit": False,
    })
    partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    assigned = consumer.committed([TopicPartition(topic, p) for p in partitions], timeout=10)
    for partition in assigned:
        if partition.offset < 0:
            partition.offset = OFFSET_BEGINNING
    consumer.assign(assigned)
    read, last = 0, time.monotonic()
    while not stop.is_set():
        messages = consumer.consume(500, 0.1)
        read += sum(1 for m in messages if m.error() is None)
        if messages and time.monotonic() - last > 1:
            consumer.commit(asynchronous=True)
            last = time.monotonic()
    if read:
        consumer.commit(asynchronous=False)
    consumer.close()
    print(f"consumer: {read} records read back", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--in-flight", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--linger-ms", type=int, default=2)
    parser.add_argument("--no-consumer", action="store_true")
    args = parser.parse_args()

    admin = AdminClient({"bootstrap.servers": args.brokers})
    for future in admin.create_topics([NewTopic(args.topic, args.partitions, 1)]).values():
        try:
            future.result()
        except KafkaException as error:
            if error.args[0].code() != 36:  # TOPIC_ALREADY_EXISTS
                raise
    producer = Producer({
        "bootstrap.servers": args.brokers, "enable.idempotence": True, "acks": "all",
        "linger.ms": args.linger_ms,
    })
    records = [(f"{n:016x}".encode(), alert(n)) for n in range(1000)]
    latencies, failed, in_flight, sent = [], 0, 0, 0
    deadline = time.monotonic() + args.seconds

    def delivered(started):
        def report(error, _message):
            nonlocal in_flight, failed
            in_flight -= 1
            if error is None:
                latencies.append(time.monotonic() - started)
            else:
                failed += 1
        return report

    stop = multiprocessing.Event()
    reader = None
    if not args.no_consumer:
        reader = multiprocessing.Process(target=consume, args=(args.brokers, args.topic, stop))
        reader.start()
    start = time.monotonic()
    while time.monotonic() < deadline:
        while in_flight < args.in_flight:
            key, value = records[sent % len(records)]
            producer.produce(args.topic, value=value, key=key, on_delivery=delivered(time.monotonic()))
            in_flight += 1
            sent += 1
        producer.poll(0.001)
    producer.flush(30)
    seconds = time.monotonic() - start
    if reader:
        stop.set()
        reader.join(30)
    latencies.sort()
    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else 0.0
    print(f"RESULT {len(latencies)} {seconds:.3f} {len(latencies) / seconds:.1f} {pct(0.5):.3f} {pct(0.99):.3f} {failed} 0 0 0 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
