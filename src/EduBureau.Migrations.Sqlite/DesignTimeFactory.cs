using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace EduBureau.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for SQLite.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EduDbContext>
{
    public EduDbContext CreateDbContext(string[] args) => Database.OpenSystem(DatabaseOptions.ForSqliteFile("design.db"), "design");
}
