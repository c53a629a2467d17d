using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduBureau.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AdmissionRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AdmissionDatasets",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UploadedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Applicants = table.Column<int>(type: "INTEGER", nullable: false),
                    Schools = table.Column<int>(type: "INTEGER", nullable: false),
                    JuniorSchools = table.Column<int>(type: "INTEGER", nullable: false),
                    GraduatesSource = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    InputDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdmissionDatasets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AdmissionDatasetFiles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DatasetId = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Bytes = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdmissionDatasetFiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AdmissionDatasetFiles_AdmissionDatasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "AdmissionDatasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AdmissionRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DatasetId = table.Column<string>(type: "TEXT", nullable: false),
                    SettingsKey = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    SettingsJson = table.Column<string>(type: "TEXT", nullable: false),
                    SettingsText = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    InputDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    PublishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Applicants = table.Column<int>(type: "INTEGER", nullable: false),
                    Admitted = table.Column<int>(type: "INTEGER", nullable: false),
                    Unplaced = table.Column<int>(type: "INTEGER", nullable: false),
                    Result = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdmissionRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AdmissionRuns_AdmissionDatasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "AdmissionDatasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AdmissionRunCutoffs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    School = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    SchoolName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Batch = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Score = table.Column<decimal>(type: "TEXT", precision: 6, scale: 1, nullable: true),
                    Admitted = table.Column<int>(type: "INTEGER", nullable: false),
                    Places = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdmissionRunCutoffs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AdmissionRunCutoffs_AdmissionRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "AdmissionRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AdmissionDatasetFiles_DatasetId_Name",
                table: "AdmissionDatasetFiles",
                columns: new[] { "DatasetId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AdmissionDatasets_UploadedAtUtc",
                table: "AdmissionDatasets",
                column: "UploadedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_AdmissionRunCutoffs_RunId",
                table: "AdmissionRunCutoffs",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_AdmissionRuns_DatasetId_SettingsKey",
                table: "AdmissionRuns",
                columns: new[] { "DatasetId", "SettingsKey" });

            migrationBuilder.CreateIndex(
                name: "IX_AdmissionRuns_State_PublishedAtUtc",
                table: "AdmissionRuns",
                columns: new[] { "State", "PublishedAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AdmissionDatasetFiles");

            migrationBuilder.DropTable(
                name: "AdmissionRunCutoffs");

            migrationBuilder.DropTable(
                name: "AdmissionRuns");

            migrationBuilder.DropTable(
                name: "AdmissionDatasets");
        }
    }
}
