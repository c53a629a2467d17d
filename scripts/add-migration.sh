#!/usr/bin/env bash
# Adds one migration, under the same name, to both providers after a model change:
#   bash scripts/add-migration.sh NAME
# Released migrations are never edited or regenerated: real databases upgrade in place through each one in turn
# (tests/EduBureau.Core.Tests/Data/MigrationUpgradeTests.cs proves it on SQLite and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: bash scripts/add-migration.sh NAME}"
dotnet tool restore >/dev/null
for p in Sqlite Postgres; do
  dotnet dotnet-ef migrations add "$name" --project "src/EduBureau.Migrations.$p" --output-dir Migrations >/dev/null
  rm -f "src/EduBureau.Migrations.$p"/design.db*
done
echo "migration $name added for Sqlite and Postgres"
