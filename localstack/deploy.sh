#!/usr/bin/env bash
# Deploys kumo's CDK app (infra-cdk) into a LocalStack started with docker-compose.yml, with cdklocal, and writes
# a kubeconfig for it. Usage: localstack/deploy.sh [CDK_ARGS...]
#   LOCALSTACK_ENDPOINT  where LocalStack answers (default http://localhost:4566)
#   KUMO_CLUSTER         the cluster's name (default kumo)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ENDPOINT=${LOCALSTACK_ENDPOINT:-http://localhost:4566}
CLUSTER=${KUMO_CLUSTER:-kumo}
REGION=us-east-1

say() { printf 'kumo-localstack: %s\n' "$*"; }
die() { printf 'kumo-localstack: error: %s\n' "$*" >&2; exit 1; }

curl -fsS --max-time 5 "$ENDPOINT/_localstack/health" >/dev/null ||
  die "no LocalStack at $ENDPOINT (start it: docker compose -f $HERE/docker-compose.yml up -d)"

# cdklocal and the pinned CDK CLI.
if [[ ! -x $HERE/node_modules/.bin/cdklocal || $HERE/package-lock.json -nt $HERE/node_modules/.package-lock.json ]]; then
  say "npm ci in $HERE (aws-cdk-local, aws-cdk)"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

# Builds what is missing (the Lambda jars, the node agent's jar, the CDK app) exactly as ./kumo synth does.
"$ROOT/kumo" synth -c "kumo:cluster=$CLUSTER" >/dev/null
java_home=$("$ROOT/kumo" java-home)
jar() { compgen -G "$1" | head -n 1 || die "no $1: the build did not make it"; }
api_jar=$(jar "$ROOT/functions/apiserver/target/apiserver-*-lambda.jar")
loops_jar=$(jar "$ROOT/functions/controllers/target/controllers-*-lambda.jar")
agent_jar=$(jar "$ROOT/node-agent/target/node-agent-*-agent.jar")

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=$REGION AWS_DEFAULT_REGION=$REGION
export AWS_ENDPOINT_URL=$ENDPOINT AWS_ENDPOINT_URL_S3=$ENDPOINT CDK_DISABLE_VERSION_CHECK=true
cdk=("$HERE/node_modules/.bin/cdklocal")
app=(--app "$java_home/bin/java @target/cdk-app.args" -c "kumo:cluster=$CLUSTER" -c "kumo:region=$REGION"
  -c "kumo:account=000000000000" -c "kumo:apiserverJar=$api_jar" -c "kumo:controllersJar=$loops_jar"
  -c "kumo:nodeAgentJar=$agent_jar" -c "kumo:admins=arn:aws:iam::000000000000:root")

say "cdklocal bootstrap"
(cd "$ROOT/infra-cdk" && "${cdk[@]}" bootstrap "aws://000000000000/$REGION" "${app[@]}")
say "cdklocal deploy --all"
(cd "$ROOT/infra-cdk" && "${cdk[@]}" deploy --all --require-approval never --progress events \
  --outputs-file "$HERE/outputs.json" "${app[@]}" "$@")

"$ROOT/kumo" kubeconfig --aws --cluster "$CLUSTER" --region "$REGION" --output "$HERE/kubeconfig"
say "deployed; outputs in $HERE/outputs.json"
say "try: AWS_ENDPOINT_URL_STS=$ENDPOINT KUBECONFIG=$HERE/kubeconfig kubectl get namespaces"
