using Itoc360.Web.Hosting;

// The ingest writer, its fsync flusher and its checkpointer block thread-pool threads in SQLite I/O. On the one or
// two cores this console is sized for the pool starts with that many threads and adds more only about twice a
// second once they are all blocked, and meanwhile console refreshes and requests wait: bench/live saw 0.5-1 s
// stalls under load. A higher minimum lets the pool add threads at once when they are needed (it still starts
// none it does not need).
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, Math.Max(8, Environment.ProcessorCount * 4)), minIo);

var builder = WebApplication.CreateBuilder(args);
builder.AddItoc360();

var app = builder.Build();
app.UseItoc360();
app.Run();

/// <summary>Entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
