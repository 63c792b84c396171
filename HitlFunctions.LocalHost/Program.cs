using HitlFunctions.LocalHost.Hosting;

WebApplication app = LocalHostApp.Build(args);
app.Run();
