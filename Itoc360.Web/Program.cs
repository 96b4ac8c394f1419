using Itoc360.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddItoc360();

var app = builder.Build();
app.UseItoc360();
app.Run();

/// <summary>Entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
