namespace HitlFunctions.Operations;

/// <summary>What an operator may do to a running instance.</summary>
public enum InstanceAction
{
    Suspend,
    Resume,
    Terminate,
}
