/** An error as the SDK throws it for a service answer (a name and $metadata). */
export function awsError(name: string, message = `${name} (test)`, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client' as const, $metadata: { httpStatusCode, attempts: 1 } });
}

export const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** The region a mocked client was made for. */
export async function regionOf(getClient: () => { config: { region: unknown } }): Promise<string> {
  const region = getClient().config.region;
  return typeof region === 'function' ? ((await region()) as string) : (region as string);
}
