#!/usr/bin/env bash
# Until the first production release the schema is one migration per provider ("Initial"): after any model
# change (or a merge that touched the model) run this to regenerate both from the current model.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for p in Sqlite Postgres; do
  rm -rf "src/EduBureau.Migrations.$p/Migrations"
  dotnet dotnet-ef migrations add Initial --project "src/EduBureau.Migrations.$p" --output-dir Migrations >/dev/null
done
echo "migrations regenerated"
