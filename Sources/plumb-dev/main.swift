import Foundation
import PlumbCLI

let code = await DeveloperCommand.run(Array(CommandLine.arguments.dropFirst()))
exit(code)
