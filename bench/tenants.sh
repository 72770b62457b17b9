# Tenant directories for the benchmarks, sourced from the repository's root by bench/compare,
# bench/ingest, bench/postgres-statements and bench/routing.

# lift_ingest_quota TENANT_YAML: the tenant's ingest rate and burst out of the way, so that a
# benchmark measures ingest, not 429s.
lift_ingest_quota() {
    sed -i -e 's/^\(  ingestPerSecond:\) *[0-9.]*/\1 1000000/' -e 's/^\(  ingestBurst:\) *[0-9]*/\1 1000000/' "$1"
}

# copy_demo_tenants DIR: the demo tenants (tenants/) in DIR, acme's ingest quota lifted.
copy_demo_tenants() {
    cp -R tenants "$1"
    lift_ingest_quota "$1/acme/tenant.yaml"
}

# make_tenants DIR COUNT: COUNT copies of tenants/acme in DIR (ids t0001…), ingest quotas lifted.
make_tenants() {
    local dir="$1" count="$2" i id
    mkdir -p "$dir"
    for ((i = 1; i <= count; i++)); do
        printf -v id 't%04d' "$i"
        mkdir -p "$dir/$id"
        cp tenants/acme/jwks.json "$dir/$id/jwks.json"
        sed -e "s/^id: acme\$/id: $id/" tenants/acme/tenant.yaml >"$dir/$id/tenant.yaml"
        lift_ingest_quota "$dir/$id/tenant.yaml"
    done
}
