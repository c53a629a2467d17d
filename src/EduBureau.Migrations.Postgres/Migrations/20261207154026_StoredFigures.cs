using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EduBureau.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class StoredFigures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DataStamps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    ChangedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataStamps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "StoredFigures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    DataVersion = table.Column<long>(type: "bigint", nullable: false),
                    ComputedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DurationMs = table.Column<int>(type: "integer", nullable: false),
                    ComputedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Body = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoredFigures", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "DataStamps",
                columns: new[] { "Id", "ChangedUtc", "Version" },
                values: new object[] { 1, new DateTime(2026, 12, 7, 0, 0, 0, 0, DateTimeKind.Utc), 1L });

            migrationBuilder.CreateIndex(
                name: "IX_StoredFigures_Kind_Year",
                table: "StoredFigures",
                columns: new[] { "Kind", "Year" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataStamps");

            migrationBuilder.DropTable(
                name: "StoredFigures");
        }
    }
}
