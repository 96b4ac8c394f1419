using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Itoc360.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class IncidentCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // IX_Incidents_SourceId is dropped by the Workflows migration (its SourceId-first index replaces it).
            migrationBuilder.CreateTable(
                name: "IncidentCounts",
                columns: table => new
                {
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Priority = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentCounts", x => new { x.SourceId, x.Priority, x.Status });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_SourceId_Number",
                table: "Incidents",
                columns: new[] { "SourceId", "Number" });

            // The counts follow every write to Incidents in the same transaction, whoever makes it (ingest, actions,
            // a source's cascade delete), so they cannot drift from the rows they count.
            migrationBuilder.Sql(
                """
                INSERT INTO "IncidentCounts" ("SourceId", "Priority", "Status", "Count")
                SELECT "SourceId", "Priority", "Status", COUNT(*) FROM "Incidents" GROUP BY "SourceId", "Priority", "Status";
                """);
            migrationBuilder.Sql(
                """
                CREATE TRIGGER "Incidents_Count_Insert" AFTER INSERT ON "Incidents"
                BEGIN
                    INSERT INTO "IncidentCounts" ("SourceId", "Priority", "Status", "Count") VALUES (new."SourceId", new."Priority", new."Status", 1)
                    ON CONFLICT ("SourceId", "Priority", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql(
                """
                CREATE TRIGGER "Incidents_Count_Update" AFTER UPDATE OF "SourceId", "Priority", "Status" ON "Incidents"
                WHEN old."SourceId" IS NOT new."SourceId" OR old."Priority" IS NOT new."Priority" OR old."Status" IS NOT new."Status"
                BEGIN
                    UPDATE "IncidentCounts" SET "Count" = "Count" - 1
                    WHERE "SourceId" = old."SourceId" AND "Priority" = old."Priority" AND "Status" = old."Status";
                    INSERT INTO "IncidentCounts" ("SourceId", "Priority", "Status", "Count") VALUES (new."SourceId", new."Priority", new."Status", 1)
                    ON CONFLICT ("SourceId", "Priority", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql(
                """
                CREATE TRIGGER "Incidents_Count_Delete" AFTER DELETE ON "Incidents"
                BEGIN
                    UPDATE "IncidentCounts" SET "Count" = "Count" - 1
                    WHERE "SourceId" = old."SourceId" AND "Priority" = old."Priority" AND "Status" = old."Status";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER \"Incidents_Count_Insert\";");
            migrationBuilder.Sql("DROP TRIGGER \"Incidents_Count_Update\";");
            migrationBuilder.Sql("DROP TRIGGER \"Incidents_Count_Delete\";");

            migrationBuilder.DropTable(
                name: "IncidentCounts");

            migrationBuilder.DropIndex(
                name: "IX_Incidents_SourceId_Number",
                table: "Incidents");
        }
    }
}
