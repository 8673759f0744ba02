#!/bin/bash
# InfluxQL on InfluxDB 2.x: map database "binpulse" and its retention policies onto the bucket.
#
# The influxdb image runs /docker-entrypoint-initdb.d/*.sh once, on the first start (empty
# volume), right after `influx setup`: the influx CLI is then configured with the admin token
# and org, and DOCKER_INFLUXDB_INIT_BUCKET_ID holds the id of the bucket just created.
# The file must be executable (the entrypoint runs it with run-parts, which skips others).
#
# Why three policies onto one bucket:
#   autogen  the default: BinPulse's own reads (INFLUX_API=v2) name no policy.
#   raw      readings: the dashboards, written for 1.x as well, name "raw"."box_reading".
#   forever  events and rollups: the dashboards name "forever"."deposit".
# On 2.x the bucket's retention (infinite, DOCKER_INFLUXDB_INIT_RETENTION=0) applies to all
# three; the policy names only keep the same InfluxQL working on 1.x and 2.x.
set -euo pipefail

db=binpulse   # INFLUX_DB of the binpulse and grafana services (docker-compose.yml)
bucket_id="${DOCKER_INFLUXDB_INIT_BUCKET_ID:?not set: run by the influxdb image after setup}"

# autogen first: the first mapping of a database becomes its default whatever the flag says
# (influxdb dbrp service), and --default alone is not sent by every influx CLI version.
influx v1 dbrp create --db "$db" --rp autogen --bucket-id "$bucket_id" --default
influx v1 dbrp create --db "$db" --rp raw --bucket-id "$bucket_id"
influx v1 dbrp create --db "$db" --rp forever --bucket-id "$bucket_id"
echo "create-dbrp: InfluxQL database $db (autogen default, raw, forever) mapped to bucket $bucket_id"
