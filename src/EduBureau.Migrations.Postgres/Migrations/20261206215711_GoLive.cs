using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduBureau.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class GoLive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ClosedOn",
                table: "OrgUnits",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MergedIntoId",
                table: "OrgUnits",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CreatedUtc",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Disabled",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastLoginUtc",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MustChangePassword",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_OrgUnits_MergedIntoId",
                table: "OrgUnits",
                column: "MergedIntoId");

            migrationBuilder.AddForeignKey(
                name: "FK_OrgUnits_OrgUnits_MergedIntoId",
                table: "OrgUnits",
                column: "MergedIntoId",
                principalTable: "OrgUnits",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_OrgUnits_OrgUnits_MergedIntoId",
                table: "OrgUnits");

            migrationBuilder.DropIndex(
                name: "IX_OrgUnits_MergedIntoId",
                table: "OrgUnits");

            migrationBuilder.DropColumn(
                name: "ClosedOn",
                table: "OrgUnits");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "OrgUnits");

            migrationBuilder.DropColumn(
                name: "CreatedUtc",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "Disabled",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "LastLoginUtc",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "MustChangePassword",
                table: "AspNetUsers");
        }
    }
}
