using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Itoc360.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Workflows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Incidents_SourceId",
                table: "Incidents");

            migrationBuilder.AddColumn<int>(
                name: "AcknowledgementTimeoutHours",
                table: "Sources",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AutoResolveHours",
                table: "Sources",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DeliveryRetentionDays",
                table: "Sources",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QuietMinutes",
                table: "Incidents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "QuietSince",
                table: "Incidents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BulkJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IncidentIdsJson = table.Column<string>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", nullable: false),
                    Via = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Processed = table.Column<int>(type: "INTEGER", nullable: false),
                    Changed = table.Column<int>(type: "INTEGER", nullable: false),
                    Unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BulkJobs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_QuietMinutes",
                table: "Incidents",
                column: "QuietMinutes",
                filter: "\"QuietMinutes\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_SnoozedUntil",
                table: "Incidents",
                column: "SnoozedUntil",
                filter: "\"SnoozedUntil\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_SourceId_Status_LastAlertAt",
                table: "Incidents",
                columns: new[] { "SourceId", "Status", "LastAlertAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BulkJobs_State",
                table: "BulkJobs",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BulkJobs");

            migrationBuilder.DropIndex(
                name: "IX_Incidents_QuietMinutes",
                table: "Incidents");

            migrationBuilder.DropIndex(
                name: "IX_Incidents_SnoozedUntil",
                table: "Incidents");

            migrationBuilder.DropIndex(
                name: "IX_Incidents_SourceId_Status_LastAlertAt",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "AcknowledgementTimeoutHours",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "AutoResolveHours",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "DeliveryRetentionDays",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "QuietMinutes",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "QuietSince",
                table: "Incidents");

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_SourceId",
                table: "Incidents",
                column: "SourceId");
        }
    }
}
