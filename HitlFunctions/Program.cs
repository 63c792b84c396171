using HitlFunctions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

FunctionsApplication.CreateBuilder(args).ConfigureHitlFunctions().Build().Run();
