using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduBureau.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CountyKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CountyId",
                table: "SchoolGroupMembers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CountyId",
                table: "ExamScores",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CountyId",
                table: "DropoutDismissals",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CountyId",
                table: "DropoutCaseSteps",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CountyId",
                table: "DropoutCases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CountyId",
                table: "DropoutCaseAttachments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CountyId",
                table: "Classes",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CountyId",
                table: "AidDisbursements",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Existing rows take their school's county (docs/scaling.md): every fact row carries the distribution key.
            foreach (var table in new[] { "SchoolGroupMembers", "ExamScores", "DropoutDismissals", "DropoutCaseSteps", "DropoutCases", "DropoutCaseAttachments", "Classes", "AidDisbursements" })
                migrationBuilder.Sql($"UPDATE \"{table}\" SET \"CountyId\" = (SELECT s.\"CountyId\" FROM \"Schools\" s WHERE s.\"Id\" = \"{table}\".\"SchoolId\")");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CountyId",
                table: "SchoolGroupMembers");

            migrationBuilder.DropColumn(
                name: "CountyId",
                table: "ExamScores");

            migrationBuilder.DropColumn(
                name: "CountyId",
                table: "DropoutDismissals");

            migrationBuilder.DropColumn(
                name: "CountyId",
                table: "DropoutCaseSteps");

            migrationBuilder.DropColumn(
                name: "CountyId",
                table: "DropoutCases");

            migrationBuilder.DropColumn(
                name: "CountyId",
                table: "DropoutCaseAttachments");

            migrationBuilder.DropColumn(
                name: "CountyId",
                table: "Classes");

            migrationBuilder.DropColumn(
                name: "CountyId",
                table: "AidDisbursements");
        }
    }
}
