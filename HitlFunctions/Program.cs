using HitlFunctions;
using HitlFunctions.Http;
using HitlFunctions.Options;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.Services.AddHitlCore();

// The queue trigger consumes the outbox from Azure Storage, so the Functions app always puts it there.
builder.Services.PostConfigure<NotificationOptions>(options => options.Queue = NotificationQueueKind.AzureStorage);
builder.Build().Run();
