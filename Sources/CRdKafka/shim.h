#ifndef ALERTD_CRDKAFKA_SHIM_H
#define ALERTD_CRDKAFKA_SHIM_H

#include <librdkafka/rdkafka.h>

/* rd_kafka_producev is variadic and cannot be called from Swift; this wraps it for one
 * message with a key, a copied value, a header list (owned by librdkafka on success) and a
 * per-message opaque that comes back in the delivery report. */
static inline rd_kafka_resp_err_t alertd_kafka_produce(
    rd_kafka_t *rk, const char *topic, const void *key, size_t key_len, const void *value, size_t value_len,
    rd_kafka_headers_t *headers, void *opaque) {
    return rd_kafka_producev(
        rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_VALUE((void *)value, value_len),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
}

#endif
