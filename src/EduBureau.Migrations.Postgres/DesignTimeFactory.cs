using EduBureau.Core.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace EduBureau.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for PostgreSQL (no server needed).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EduDbContext>
{
    public EduDbContext CreateDbContext(string[] args) =>
        Database.OpenSystem(new DatabaseOptions(DatabaseProvider.Postgres, "Host=localhost;Database=edu_design"), "design");
}
